using System.Runtime.InteropServices;

namespace MedSeg.Core.Compression;

/// <summary>
/// <see cref="DeflateCodec"/> through libdeflate (libdeflate.so.0, Debian package libdeflate0; htslib and libtiff use
/// it): whole-buffer deflate, at level 1 smaller than zlib's level 1 in half the time. A compressor is allocated per
/// chunk (not thread-safe, and cheap next to a chunk's work).
/// </summary>
internal sealed unsafe partial class LibDeflateCodec : DeflateCodec
{
    private const string Library = "libdeflate.so.0";

    public static LibDeflateCodec Instance { get; } = new();

    /// <summary>Whether libdeflate.so.0 loads on this machine.</summary>
    public static bool IsAvailable { get; } = Probe();

    public override string Name => "libdeflate";

    public override int Deflate(byte[] input, int length, byte[] output, int level)
    {
        if (length == 0) return EmptyStream(output);
        IntPtr compressor = AllocCompressor(Math.Clamp(level, 1, 12));
        if (compressor == IntPtr.Zero) throw new OutOfMemoryException("libdeflate could not allocate a compressor");
        try
        {
            fixed (byte* i = input, o = output)
            {
                nuint n = Compress(compressor, i, (nuint)length, o, (nuint)output.Length);
                return n > 0 ? (int)n : throw new InvalidOperationException($"libdeflate: {length} bytes did not fit {output.Length}");
            }
        }
        finally { FreeCompressor(compressor); }
    }

    public override void Inflate(byte[] input, int offset, int compressedLength, byte[] output, int length)
    {
        IntPtr decompressor = AllocDecompressor();
        if (decompressor == IntPtr.Zero) throw new OutOfMemoryException("libdeflate could not allocate a decompressor");
        try
        {
            fixed (byte* i = input, o = output)
            {
                // Null "actual length": libdeflate then succeeds only when the data inflates to exactly length bytes.
                int result = Decompress(decompressor, i + offset, (nuint)compressedLength, o, (nuint)length, null);
                if (result != 0)
                    throw new InvalidDataException(result switch
                    {
                        1 => "deflate data is corrupt",
                        2 => $"deflate data inflates to fewer than the {length} bytes its index announces",
                        _ => $"deflate data inflates to more than the {length} bytes its index announces",
                    });
            }
        }
        finally { FreeDecompressor(decompressor); }
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            FreeDecompressor(AllocDecompressor());
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    [LibraryImport(Library, EntryPoint = "libdeflate_alloc_compressor")]
    private static partial IntPtr AllocCompressor(int level);

    [LibraryImport(Library, EntryPoint = "libdeflate_deflate_compress")]
    private static partial nuint Compress(IntPtr compressor, byte* input, nuint inputLength, byte* output, nuint outputAvailable);

    [LibraryImport(Library, EntryPoint = "libdeflate_free_compressor")]
    private static partial void FreeCompressor(IntPtr compressor);

    [LibraryImport(Library, EntryPoint = "libdeflate_alloc_decompressor")]
    private static partial IntPtr AllocDecompressor();

    [LibraryImport(Library, EntryPoint = "libdeflate_deflate_decompress")]
    private static partial int Decompress(IntPtr decompressor, byte* input, nuint inputLength, byte* output, nuint outputAvailable, nuint* actualOutput);

    [LibraryImport(Library, EntryPoint = "libdeflate_free_decompressor")]
    private static partial void FreeDecompressor(IntPtr decompressor);
}

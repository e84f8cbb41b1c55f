namespace MedSeg.Core.Compression;

/// <summary>
/// Deflates and inflates one whole chunk (a complete raw deflate stream, final block included) for the parallel gzip
/// streams. <see cref="Default"/> is libdeflate when the system has it (<see cref="LibDeflateCodec"/>: about twice as
/// fast as zlib at nibabel's file size, inflate three times), else .NET's zlib-ng (<see cref="ZlibNgCodec"/>).
/// </summary>
internal abstract class DeflateCodec
{
    /// <summary>Set to "off" to use zlib-ng even where libdeflate is installed (benchmarks, tests of the fallback).</summary>
    public const string SwitchVariable = "MEDSEG_LIBDEFLATE";

    public static DeflateCodec Default { get; } =
        !string.Equals(Environment.GetEnvironmentVariable(SwitchVariable), "off", StringComparison.OrdinalIgnoreCase) && LibDeflateCodec.IsAvailable
            ? LibDeflateCodec.Instance
            : ZlibNgCodec.Instance;

    public abstract string Name { get; }

    /// <summary>Largest compressed size of <paramref name="length"/> bytes (output buffer size for <see cref="Deflate"/>).</summary>
    public static int Bound(int length) => length + (length >> 3) + (length >> 6) + 64;

    /// <summary>Compresses input[..length] at zlib-scale <paramref name="level"/> (1–9) into output; returns the compressed length.</summary>
    public abstract int Deflate(byte[] input, int length, byte[] output, int level);

    /// <summary>Inflates input[offset..offset + compressedLength] into exactly output[..length]; <see cref="InvalidDataException"/> otherwise.</summary>
    public abstract void Inflate(byte[] input, int offset, int compressedLength, byte[] output, int length);

    /// <summary>An empty final fixed-Huffman block: the deflate stream of zero bytes (neither library writes one itself).</summary>
    protected static int EmptyStream(byte[] output)
    {
        output[0] = 0x03; output[1] = 0x00;
        return 2;
    }
}

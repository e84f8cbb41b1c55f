using System.IO.Compression;

namespace MedSeg.Core.Compression;

/// <summary>
/// <see cref="DeflateCodec"/> through .NET's zlib-ng. Its level 1 is a static-Huffman "quick" mode writing a third
/// larger files than zlib's level 1 (nibabel's default), so level 1 is raised to 2 here, which is within a few percent.
/// </summary>
internal sealed class ZlibNgCodec : DeflateCodec
{
    public static ZlibNgCodec Instance { get; } = new();

    public override string Name => "zlib-ng";

    public override int Deflate(byte[] input, int length, byte[] output, int level)
    {
        if (length == 0) return EmptyStream(output);
        var sink = new MemoryStream(output, writable: true);
        using (var deflate = new DeflateStream(sink, new ZLibCompressionOptions { CompressionLevel = Math.Max(2, level) }, leaveOpen: true))
            deflate.Write(input, 0, length);
        return (int)sink.Position;
    }

    public override void Inflate(byte[] input, int offset, int compressedLength, byte[] output, int length)
    {
        using var inflate = new DeflateStream(new MemoryStream(input, offset, compressedLength), CompressionMode.Decompress);
        int got = inflate.ReadAtLeast(output.AsSpan(0, length), length, throwOnEndOfStream: false);
        if (got < length) throw new InvalidDataException($"deflate data inflates to {got} of the {length} bytes its index announces");
    }
}

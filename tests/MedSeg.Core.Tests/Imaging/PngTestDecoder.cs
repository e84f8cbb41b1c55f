using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MedSeg.Tests.Shared;

/// <summary>
/// Decodes the PNGs our writer makes (8-bit RGB/RGBA, filter None) for tests: checks the signature,
/// every chunk's CRC (with a bitwise CRC-32, independent of the library's table), inflates IDAT.
/// Also compiled into MedSeg.Cli.Tests.
/// </summary>
public sealed class PngTestDecoder
{
    public int Width { get; private set; }
    public int Height { get; private set; }
    public int Channels { get; private set; }
    public List<string> ChunkTypes { get; } = [];
    public byte[] Pixels { get; private set; } = [];

    public (byte R, byte G, byte B, byte A) Pixel(int column, int row)
    {
        int i = Channels * (column + Width * row);
        return (Pixels[i], Pixels[i + 1], Pixels[i + 2], Channels == 4 ? Pixels[i + 3] : (byte)255);
    }

    public static PngTestDecoder Decode(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (!png.AsSpan(0, 8).SequenceEqual(signature)) throw new InvalidDataException("bad PNG signature");
        var result = new PngTestDecoder();
        var idat = new MemoryStream();
        int at = 8;
        while (at < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            var typeAndData = png.AsSpan(at + 4, 4 + length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            if (stored != BitwiseCrc(typeAndData)) throw new InvalidDataException($"CRC mismatch in {type}");
            result.ChunkTypes.Add(type);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                result.Width = BinaryPrimitives.ReadInt32BigEndian(data);
                result.Height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8) throw new InvalidDataException("bit depth not 8");
                result.Channels = data[9] switch { 2 => 3, 6 => 4, _ => throw new InvalidDataException($"colour type {data[9]}") };
            }
            else if (type == "IDAT") idat.Write(data);
            at += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] rows = raw.ToArray();
        int stride = 1 + result.Width * result.Channels;
        if (rows.Length != stride * result.Height) throw new InvalidDataException($"IDAT holds {rows.Length} bytes, expected {stride * result.Height}");
        result.Pixels = new byte[result.Width * result.Height * result.Channels];
        for (int r = 0; r < result.Height; r++)
        {
            if (rows[r * stride] != 0) throw new InvalidDataException($"row {r} uses filter {rows[r * stride]}");
            Array.Copy(rows, r * stride + 1, result.Pixels, r * (stride - 1), stride - 1);
        }
        return result;
    }

    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (uint)-(int)(c & 1));
        }
        return ~c;
    }
}

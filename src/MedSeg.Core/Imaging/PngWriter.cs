using System.Buffers.Binary;
using System.IO.Compression;

namespace MedSeg.Core.Imaging;

public enum PngColorType : byte
{
    Rgb = 2,
    Rgba = 6,
}

/// <summary>
/// Minimal PNG encoder: 8-bit RGB or RGBA, no interlace, filter type 0 (None) on every row,
/// one zlib-compressed IDAT chunk. Enough for slice previews; no palette, gamma or text chunks.
/// </summary>
public static class PngWriter
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes an RGBA image as a PNG file, atomically (temp file renamed into place).</summary>
    public static void WriteFile(string path, RgbaImage image, PngColorType colorType = PngColorType.Rgba)
    {
        string temp = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                Write(file, image, colorType);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Encodes <paramref name="image"/>; RGB output drops the alpha channel.</summary>
    public static void Write(Stream output, RgbaImage image, PngColorType colorType = PngColorType.Rgba)
    {
        int channels = colorType == PngColorType.Rgba ? 4 : 3;
        output.Write(Signature);

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), image.Height);
        ihdr[8] = 8;                 // bit depth
        ihdr[9] = (byte)colorType;
        ihdr[10] = 0;                // compression: deflate
        ihdr[11] = 0;                // filter method 0
        ihdr[12] = 0;                // no interlace
        WriteChunk(output, "IHDR", ihdr);

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[1 + image.Width * channels]; // leading 0 = filter None
            for (int y = 0; y < image.Height; y++)
            {
                var src = image.Pixels.AsSpan(4 * image.Width * y, 4 * image.Width);
                if (channels == 4) src.CopyTo(row.AsSpan(1));
                else
                    for (int x = 0; x < image.Width; x++)
                        src.Slice(4 * x, 3).CopyTo(row.AsSpan(1 + 3 * x));
                zlib.Write(row);
            }
        }
        WriteChunk(output, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND", []);
    }

    /// <summary>Length, type, data, then CRC-32 over type and data.</summary>
    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        Span<byte> typeBytes = [(byte)type[0], (byte)type[1], (byte)type[2], (byte)type[3]];
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(typeBytes), data));
        output.Write(word);
    }
}

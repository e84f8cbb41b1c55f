using System.Text;
using MedSeg.Core.Imaging;
using MedSeg.Tests.Shared;

namespace MedSeg.Core.Tests.Imaging;

public class PngWriterTests
{
    [Theory]
    [InlineData("123456789", 0xCBF43926u)] // the standard CRC-32 check value
    [InlineData("", 0u)]
    [InlineData("IEND", 0xAE426082u)]      // every PNG ends with this CRC
    public void Crc32_MatchesKnownValues(string text, uint expected)
    {
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Crc32_Append_EqualsOneShot()
    {
        byte[] all = Encoding.ASCII.GetBytes("hello, png world");
        Assert.Equal(Crc32.Compute(all), Crc32.Append(Crc32.Compute(all.AsSpan(0, 5)), all.AsSpan(5)));
    }

    private static RgbaImage Gradient(int width, int height)
    {
        var image = new RgbaImage(width, height);
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
                image[c, r] = ((byte)(c * 10), (byte)(r * 20), (byte)(c + r), (byte)(255 - c));
        return image;
    }

    [Theory]
    [InlineData(PngColorType.Rgba)]
    [InlineData(PngColorType.Rgb)]
    public void Write_ThenDecode_GivesSamePixels(PngColorType colorType)
    {
        var image = Gradient(7, 5);
        var stream = new MemoryStream();
        PngWriter.Write(stream, image, colorType);

        var png = PngTestDecoder.Decode(stream.ToArray());

        Assert.Equal(["IHDR", "IDAT", "IEND"], png.ChunkTypes);
        Assert.Equal((7, 5), (png.Width, png.Height));
        Assert.Equal(colorType == PngColorType.Rgba ? 4 : 3, png.Channels);
        for (int r = 0; r < 5; r++)
            for (int c = 0; c < 7; c++)
            {
                var expected = image[c, r];
                if (colorType == PngColorType.Rgb) expected.A = 255;
                Assert.Equal(expected, png.Pixel(c, r));
            }
    }

    [Fact]
    public void WriteFile_CreatesOnlyTheTarget()
    {
        string dir = Path.Combine(Path.GetTempPath(), "medseg-png-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "g.png");
            PngWriter.WriteFile(path, Gradient(3, 3));
            Assert.Equal([path], Directory.GetFiles(dir));
            Assert.Equal(3, PngTestDecoder.Decode(File.ReadAllBytes(path)).Width);
        }
        finally { Directory.Delete(dir, true); }
    }
}

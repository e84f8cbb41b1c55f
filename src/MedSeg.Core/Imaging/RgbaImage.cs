namespace MedSeg.Core.Imaging;

/// <summary>An 8-bit RGBA picture, rows top to bottom, 4 bytes per pixel.</summary>
public sealed class RgbaImage
{
    public RgbaImage(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"Image size must be positive, got {width}×{height}.");
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height * 4)];
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>R, G, B, A of pixel (column c, row r) at 4·(c + Width·r).</summary>
    public byte[] Pixels { get; }

    public (byte R, byte G, byte B, byte A) this[int column, int row]
    {
        get
        {
            int i = 4 * (column + Width * row);
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2], Pixels[i + 3]);
        }
        set
        {
            int i = 4 * (column + Width * row);
            Pixels[i] = value.R; Pixels[i + 1] = value.G; Pixels[i + 2] = value.B; Pixels[i + 3] = value.A;
        }
    }
}

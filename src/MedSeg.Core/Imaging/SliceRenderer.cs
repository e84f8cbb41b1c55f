using MedSeg.Core.Volumes;

namespace MedSeg.Core.Imaging;

/// <summary>
/// Renders one slice of a volume as an opaque grey RGBA picture, optionally with a label map blended on top
/// (label colour and grey mixed half and half, i.e. alpha 0.5; label 0 left untouched).
/// Layout follows <see cref="VolumeSlice"/>.
/// </summary>
public static class SliceRenderer
{
    public const double LabelAlpha = 0.5;

    /// <param name="window">Grey mapping; null picks the 0.5–99.5 percentile window of this slice.</param>
    /// <exception cref="ArgumentException">Labels shaped differently from the image (message gives both shapes).</exception>
    /// <exception cref="ArgumentOutOfRangeException">Index outside the axis (message gives the valid range).</exception>
    public static RgbaImage Render(Volume image, SliceAxis axis, int index, Volume? labels = null, DisplayWindow? window = null)
    {
        if (labels is not null && (labels.SizeX, labels.SizeY, labels.SizeZ) != (image.SizeX, image.SizeY, image.SizeZ))
            throw new ArgumentException(
                $"label map is {labels.SizeX}×{labels.SizeY}×{labels.SizeZ} but the image is {image.SizeX}×{image.SizeY}×{image.SizeZ}");

        var slice = VolumeSlice.Extract(image, axis, index);
        var labelSlice = labels is null ? null : VolumeSlice.Extract(labels, axis, index);
        var win = window ?? DisplayWindow.FromPercentiles(slice.Values);

        var picture = new RgbaImage(slice.Width, slice.Height);
        for (int r = 0; r < slice.Height; r++)
            for (int c = 0; c < slice.Width; c++)
            {
                int i = c + slice.Width * r;
                byte g = win.ToGray(slice.Values[i]);
                (byte R, byte G, byte B, byte A) pixel = (g, g, g, 255);
                if (labelSlice is not null && double.IsFinite(labelSlice.Values[i]))
                {
                    long label = (long)Math.Round(labelSlice.Values[i]);
                    if (label != 0)
                    {
                        var color = LabelPalette.ColorOf(label);
                        pixel = (Blend(g, color.R), Blend(g, color.G), Blend(g, color.B), 255);
                    }
                }
                picture[c, r] = pixel;
            }
        return picture;
    }

    /// <summary>(1 − α)·grey + α·colour, rounded.</summary>
    public static byte Blend(byte gray, byte color) => (byte)Math.Round((1 - LabelAlpha) * gray + LabelAlpha * color);
}

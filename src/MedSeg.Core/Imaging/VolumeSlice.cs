using MedSeg.Core.Volumes;

namespace MedSeg.Core.Imaging;

public enum SliceAxis { X, Y, Z }

/// <summary>
/// One plane of a volume as doubles, laid out as an image (row-major, row 0 at the top).
/// Convention, in voxel index space (no radiological flips):
/// axis z → columns = x, rows = y;  axis y → columns = x, rows = z;  axis x → columns = y, rows = z.
/// Row r holds index r of the second in-plane axis, so index 0 is the top row.
/// </summary>
public sealed class VolumeSlice
{
    private VolumeSlice(int width, int height, double[] values)
    {
        Width = width; Height = height; Values = values;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Value at (column c, row r) is Values[c + Width·r].</summary>
    public double[] Values { get; }

    public static int AxisLength(Volume volume, SliceAxis axis) => axis switch
    {
        SliceAxis.X => volume.SizeX,
        SliceAxis.Y => volume.SizeY,
        _ => volume.SizeZ,
    };

    /// <summary>Extracts plane <paramref name="index"/> across <paramref name="axis"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The message names the index and the valid range.</exception>
    public static VolumeSlice Extract(Volume volume, SliceAxis axis, int index)
    {
        int length = AxisLength(volume, axis);
        if (index < 0 || index >= length)
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"index {index} is out of range for axis {axis.ToString().ToLowerInvariant()} (valid 0–{length - 1})");

        (int width, int height) = axis switch
        {
            SliceAxis.X => (volume.SizeY, volume.SizeZ),
            SliceAxis.Y => (volume.SizeX, volume.SizeZ),
            _ => (volume.SizeX, volume.SizeY),
        };
        var values = new double[width * height];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
            {
                long i = axis switch
                {
                    SliceAxis.X => volume.Index(index, c, r),
                    SliceAxis.Y => volume.Index(c, index, r),
                    _ => volume.Index(c, r, index),
                };
                values[c + width * r] = volume.GetDouble(i);
            }
        return new VolumeSlice(width, height, values);
    }
}

using MedSeg.Core.Volumes;

namespace MedSeg.Core.Metrics;

/// <summary>Integer label values of a segmentation volume, whatever its voxel type.</summary>
public static class LabelMap
{
    /// <summary>
    /// The volume's values as int. Floating-point label files are common (nnU-Net and MONAI write float32
    /// labels), so integral float values are accepted; a fractional, non-finite or out-of-range value is an
    /// error naming <paramref name="name"/>, the voxel and the value.
    /// </summary>
    public static int[] From(Volume volume, string name)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var labels = new int[volume.VoxelCount];
        switch (volume.Type)
        {
            case VoxelType.UInt8: { var a = volume.As<byte>(); for (int i = 0; i < a.Length; i++) labels[i] = a[i]; break; }
            case VoxelType.Int16: { var a = volume.As<short>(); for (int i = 0; i < a.Length; i++) labels[i] = a[i]; break; }
            case VoxelType.Int32: Array.Copy(volume.As<int>(), labels, labels.Length); break;
            default:
                for (long i = 0; i < labels.LongLength; i++)
                {
                    double v = volume.GetDouble(i);
                    if (v != Math.Floor(v) || v < int.MinValue || v > int.MaxValue) // NaN fails the first test too
                        throw new LabelValueException(name, i, volume, v);
                    labels[i] = (int)v;
                }
                break;
        }
        return labels;
    }
}

/// <summary>A segmentation holds a value that is not a whole-number label.</summary>
public sealed class LabelValueException(string name, long index, Volume volume, double value)
    : Exception($"{name}: {DetailOf(index, volume, value)}")
{
    /// <summary>The problem without the file name, e.g. "voxel (1, 0, 1) holds 0.5, not an integer label".</summary>
    public string Detail { get; } = DetailOf(index, volume, value);

    private static string DetailOf(long i, Volume v, double value) =>
        $"voxel ({i % v.SizeX}, {i / v.SizeX % v.SizeY}, {i / ((long)v.SizeX * v.SizeY)}) holds "
        + $"{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}, not an integer label";
}

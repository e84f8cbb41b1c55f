using MedSeg.Core.Preprocessing;
using MedSeg.Core.Volumes;

namespace MedSeg.Training.Data;

/// <summary>
/// A sample source whose images are scaled to 0..1 per volume, as MONAI <c>ScaleIntensity(minv=0, maxv=1)</c>: each
/// volume's min..max → 0..1 (AVS-DB's 0/128 outlines become 0/1, the range downstream CT windows map to). A constant
/// volume becomes 0 (MONAI multiplies it by minv); NaN voxels stay NaN and do not count towards min and max.
/// </summary>
public sealed class UnitIntensitySource(IVolumeSampleSource inner) : IVolumeSampleSource
{
    public int Count => inner.Count;
    public int ClassCount => inner.ClassCount;
    public string Description => inner.Description + ", images scaled to 0..1 per volume";

    public LabeledVolume Load(int index)
    {
        var sample = inner.Load(index);
        return sample with { Image = Scale(sample.Image) };
    }

    public static Volume Scale(Volume image)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (long i = 0; i < image.VoxelCount; i++)
        {
            double v = image.GetDouble(i);
            if (double.IsNaN(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (!(max > min)) return Zero(image); // constant (or all NaN): MONAI's rescale_array returns arr · minv
        return IntensityScaler.ScaleRange(image, min, max, 0, 1, clip: false);
    }

    private static Volume Zero(Volume image)
    {
        var data = new float[image.VoxelCount];
        for (long i = 0; i < data.Length; i++) data[i] = double.IsNaN(image.GetDouble(i)) ? float.NaN : 0f;
        return new Volume(image.SizeX, image.SizeY, image.SizeZ, data, image.Spacing.ToArray(), image.Affine.ToArray());
    }
}

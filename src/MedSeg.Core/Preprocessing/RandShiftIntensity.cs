using MedSeg.Core.Generators;
using MedSeg.Core.Volumes;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// As MONAI <c>RandShiftIntensityd(offsets=o, prob=p)</c>: with probability p add one offset drawn uniformly from
/// [−o, o) to every image voxel (label untouched). The image comes back as float32. Draws: one uniform, then the offset.
/// </summary>
public static class RandShiftIntensity
{
    public static SegmentationSample Apply(SegmentationSample sample, double offsets, double probability, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(offsets >= 0)) throw new ArgumentOutOfRangeException(nameof(offsets), offsets, "Offsets must be >= 0.");
        if (!(rng.NextDouble() < probability)) return sample;
        double shift = rng.NextDouble(-offsets, offsets);
        var image = sample.Image;
        var data = new float[image.VoxelCount];
        for (long i = 0; i < data.Length; i++) data[i] = (float)(image.GetDouble(i) + shift);
        return sample with { Image = new Volume(image.SizeX, image.SizeY, image.SizeZ, data, image.Spacing.ToArray(), image.Affine.ToArray()) };
    }
}

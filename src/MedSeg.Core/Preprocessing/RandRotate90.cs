using MedSeg.Core.Generators;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// As MONAI <c>RandRotate90d(prob=p, max_k=3)</c> in the axial plane (spatial_axes (0, 1)): with probability p,
/// rotate image and label by k quarter turns, k uniform in 1..maxK. Draws: one uniform, then k if rotating.
/// </summary>
public static class RandRotate90
{
    public static SegmentationSample Apply(SegmentationSample sample, double probability, DeterministicRandom rng, int maxK = 3)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(rng);
        if (maxK < 1) throw new ArgumentOutOfRangeException(nameof(maxK), maxK, "maxK must be >= 1.");
        if (!(rng.NextDouble() < probability)) return sample;
        int k = rng.NextInt(1, maxK);
        return sample with
        {
            Image = VolumeOps.Rotate90(sample.Image, k),
            Label = sample.Label is null ? null : VolumeOps.Rotate90(sample.Label, k),
        };
    }
}

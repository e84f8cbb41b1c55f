using MedSeg.Core.Generators;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Random flips as the MONAI abdominal recipe's three <c>RandFlipd(spatial_axis=a, prob=p)</c>: each axis x, y, z
/// is flipped independently with probability p (one uniform draw per axis, in that order), image and label together.
/// </summary>
public static class RandFlip
{
    public static SegmentationSample Apply(SegmentationSample sample, double probability, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(rng);
        var (image, label) = (sample.Image, sample.Label);
        for (int axis = 0; axis < 3; axis++)
        {
            if (!(rng.NextDouble() < probability)) continue;
            image = VolumeOps.Flip(image, axis);
            label = label is null ? null : VolumeOps.Flip(label, axis);
        }
        return sample with { Image = image, Label = label };
    }
}

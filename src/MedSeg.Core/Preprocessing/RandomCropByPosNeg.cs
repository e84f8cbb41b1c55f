using MedSeg.Core.Generators;
using MedSeg.Core.Volumes;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Patch sampling as MONAI <c>RandCropByPosNegLabeld</c>: each of <c>numSamples</c> patches is centred on a
/// uniformly chosen foreground voxel (label &gt; 0) with probability pos/(pos + neg), else on a background voxel
/// (label = 0). With <c>imageThreshold</c> set, both lists keep only voxels whose image value exceeds it (MONAI
/// image_key/image_threshold). Centres are then clamped so the patch fits: per axis c ∈ [s/2, n − s/2] with
/// integer division as MONAI's correct_crop_centers, and the patch spans [c − s/2, c − s/2 + s).
/// </summary>
/// <remarks>
/// If one list is empty the other is used for every patch (MONAI warns and does the same); both empty throws.
/// A patch larger than the volume throws (MONAI allow_smaller=False) — pad first.
/// Random draws per patch, in order: one uniform for pos/neg, one index into the chosen list.
/// </remarks>
public static class RandomCropByPosNeg
{
    public static IReadOnlyList<SegmentationSample> Sample(Volume image, Volume label, int[] patch, double pos = 1, double neg = 1,
        int numSamples = 1, DeterministicRandom? rng = null, double? imageThreshold = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(rng);
        VolumeOps.RequireSameShape(image, label, "RandCropByPosNegLabel");
        if (patch is null || patch.Length != 3 || patch.Any(p => p <= 0))
            throw new ArgumentException($"Patch size must be three positive integers, got [{string.Join(", ", patch ?? [])}].");
        if (!(pos >= 0) || !(neg >= 0) || pos + neg <= 0)
            throw new ArgumentException($"pos and neg must be >= 0 and not both 0, got pos={pos} neg={neg}.");
        if (numSamples < 1) throw new ArgumentOutOfRangeException(nameof(numSamples), numSamples, "numSamples must be >= 1.");
        int[] shape = [image.SizeX, image.SizeY, image.SizeZ];
        for (int d = 0; d < 3; d++)
            if (patch[d] > shape[d])
                throw new ArgumentException(
                    $"Patch {string.Join("×", patch)} is larger than the volume {string.Join("×", shape)} on axis {d}; pad the volume first.");

        var (foreground, background) = Candidates(image, label, imageThreshold);
        if (foreground.Count == 0 && background.Count == 0)
            throw new ArgumentException($"No voxels to centre patches on (image threshold {imageThreshold?.ToString() ?? "none"}).");
        double posRatio = foreground.Count == 0 ? 0 : background.Count == 0 ? 1 : pos / (pos + neg);

        var samples = new List<SegmentationSample>(numSamples);
        for (int n = 0; n < numSamples; n++)
        {
            var list = rng.NextDouble() < posRatio ? foreground : background;
            long index = list[rng.NextInt(0, list.Count - 1)];
            int[] centre = [(int)(index % shape[0]), (int)(index / shape[0] % shape[1]), (int)(index / ((long)shape[0] * shape[1]))];
            var box = PatchBox(ValidCentre(centre, patch, shape), patch);
            samples.Add(new SegmentationSample(VolumeOps.Crop(image, box), VolumeOps.Crop(label, box)) { Centre = centre });
        }
        return samples;
    }

    /// <summary>Clamps a centre so a patch of the given size fits (MONAI correct_crop_centers).</summary>
    public static int[] ValidCentre(int[] centre, int[] patch, int[] shape)
    {
        var result = new int[3];
        for (int d = 0; d < 3; d++)
        {
            int validStart = patch[d] / 2;
            int validEnd = (int)(shape[d] + 1 - patch[d] / 2.0);
            if (validStart == validEnd) validEnd++;
            result[d] = Math.Min(Math.Max(centre[d], validStart), validEnd - 1);
        }
        return result;
    }

    public static CropBox PatchBox(int[] centre, int[] patch)
    {
        int[] start = [centre[0] - patch[0] / 2, centre[1] - patch[1] / 2, centre[2] - patch[2] / 2];
        return new CropBox(start, [start[0] + patch[0], start[1] + patch[1], start[2] + patch[2]]);
    }

    private static (List<long> Foreground, List<long> Background) Candidates(Volume image, Volume label, double? imageThreshold)
    {
        var fg = new List<long>();
        var bg = new List<long>();
        for (long i = 0; i < label.VoxelCount; i++)
        {
            if (imageThreshold is double t && !(image.GetDouble(i) > t)) continue;
            if (label.GetDouble(i) > 0) fg.Add(i); else bg.Add(i);
        }
        return (fg, bg);
    }
}

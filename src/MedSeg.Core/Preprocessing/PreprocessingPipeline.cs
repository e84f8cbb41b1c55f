using MedSeg.Core.Generators;
using MedSeg.Core.Volumes;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Runs <see cref="PreprocessingOptions"/> in MONAI's order: <see cref="Prepare"/> for the deterministic part
/// (orientation, spacing, intensity window, foreground crop — cacheable per volume) and <see cref="Augment"/> for the
/// random part (padding to the patch size, pos/neg patches, then per patch flips, rotation, intensity shift), drawing from one PRNG in that order.
/// </summary>
public sealed class PreprocessingPipeline(PreprocessingOptions options)
{
    public PreprocessingOptions Options { get; } = (options ?? throw new ArgumentNullException(nameof(options))).Validated();

    /// <param name="onStep">Optional: called after each step with its name and duration (for benchmarks).</param>
    public SegmentationSample Prepare(Volume image, Volume? label, Action<string, TimeSpan>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        VolumeOps.RequireSameShape(image, label, "Prepare");
        var o = Options;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        void Done(string step)
        {
            onStep?.Invoke(step, watch.Elapsed);
            watch.Restart();
        }
        if (o.OrientToRas)
        {
            image = Orientation.ToRas(image);
            label = label is null ? null : Orientation.ToRas(label);
            Done("orientation");
        }
        if (o.TargetSpacing is { } spacing)
        {
            image = Resampler.ToSpacing(image, spacing, Interpolation.Trilinear);
            label = label is null ? null : Resampler.ToSpacing(label, spacing, Interpolation.Nearest);
            Done("spacing");
        }
        image = IntensityScaler.ScaleRange(image, o.IntensityMin, o.IntensityMax, o.OutputMin, o.OutputMax, o.Clip);
        Done("intensity");
        if (o.CropForeground)
        {
            var crop = ForegroundCropper.Crop(image, label, o.ForegroundThreshold, o.ForegroundMargin);
            (image, label) = (crop.Image, crop.Label);
            Done("foreground crop");
        }
        return new SegmentationSample(image, label);
    }

    /// <summary>Training patches from a prepared sample (needs a label for pos/neg sampling).</summary>
    public IReadOnlyList<SegmentationSample> Augment(SegmentationSample prepared, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var label = prepared.Label ?? throw new ArgumentException("Augment needs a label map for positive/negative patch sampling.");
        var o = Options;
        var image = prepared.Image;
        if (o.PadToPatchSize)
        {
            image = VolumeOps.PadTo(image, o.PatchSize);
            label = VolumeOps.PadTo(label, o.PatchSize);
        }
        var patches = RandomCropByPosNeg.Sample(image, label, o.PatchSize, o.Positive, o.Negative, o.SamplesPerVolume, rng, o.ImageThreshold);
        var result = new List<SegmentationSample>(patches.Count);
        foreach (var patch in patches)
        {
            var p = RandFlip.Apply(patch, o.FlipProbability, rng);
            p = RandRotate90.Apply(p, o.Rotate90Probability, rng, o.Rotate90MaxK);
            p = RandShiftIntensity.Apply(p, o.ShiftIntensityOffset, o.ShiftIntensityProbability, rng);
            result.Add(p);
        }
        return result;
    }
}

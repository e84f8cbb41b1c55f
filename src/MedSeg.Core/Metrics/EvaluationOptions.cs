namespace MedSeg.Core.Metrics;

/// <summary>Settings of <see cref="SegmentationEvaluator"/>.</summary>
public sealed class EvaluationOptions
{
    /// <summary>Label values to evaluate. Null (default): 1..C with C the largest value in either volume.</summary>
    public IReadOnlyList<int>? Classes { get; init; }

    /// <summary>Hausdorff percentile; default 95. Null = the maximum (classic Hausdorff distance).</summary>
    public double? HausdorffPercentile { get; init; } = 95;

    /// <summary>Dice is NaN for a class absent from the ground truth (MONAI's default <c>ignore_empty=True</c>).</summary>
    public bool IgnoreEmpty { get; init; } = true;

    /// <summary>
    /// Largest difference allowed between corresponding affine entries (and spacings) of prediction and label; default 1e-3
    /// (mm for the translation column). NIfTI stores float32, so a rewritten file can differ by ~1e-5.
    /// </summary>
    public double AffineTolerance { get; init; } = 1e-3;
}

using static TorchSharp.torch;

namespace MedSeg.Training.Inference;

/// <summary>
/// Settings of <see cref="SlidingWindowInference"/>, named and defaulted as MONAI 1.5's
/// <c>sliding_window_inference</c>.
/// </summary>
public sealed class SlidingWindowOptions
{
    /// <summary>
    /// Window size per spatial axis, in the tensor's axis order. One value is used for every axis.
    /// A value ≤ 0 means "the whole image along that axis" (MONAI's <c>fall_back_tuple</c>).
    /// </summary>
    public required int[] RoiSize { get; init; }

    /// <summary><see cref="SwBatchSize"/> value: chosen from memory after the first window (<see cref="SwBatchPlanner"/>).</summary>
    public const int AutoSwBatch = 0;

    /// <summary>Windows per predictor call, or <see cref="AutoSwBatch"/>. Default 1 (MONAI's).</summary>
    public int SwBatchSize { get; init; } = 1;

    /// <summary>
    /// Run under torch's inference mode (no autograd bookkeeping, no version counters) rather than no_grad. Default true;
    /// false only for benchmarks' "before" figures.
    /// </summary>
    public bool InferenceMode { get; init; } = true;

    /// <summary>Fraction of a window shared with its neighbour, in [0, 1). Default 0.25.</summary>
    public double Overlap { get; init; } = 0.25;

    /// <summary>Blending of overlapping windows. Default constant (MONAI's default).</summary>
    public BlendMode Mode { get; init; } = BlendMode.Constant;

    /// <summary>Gaussian sigma as a fraction of the window size. Default 0.125.</summary>
    public double SigmaScale { get; init; } = 0.125;

    /// <summary>Value of the constant padding used when the image is smaller than the window. Default 0.</summary>
    public double PaddingValue { get; init; }

    /// <summary>Device the predictor runs on (MONAI <c>sw_device</c>); null = the input's device.</summary>
    public Device? ComputeDevice { get; init; }

    /// <summary>Device holding the stitched output (MONAI <c>device</c>); null = the input's device.</summary>
    public Device? OutputDevice { get; init; }

    /// <summary>The window size per axis for an image of <paramref name="imageSize"/>.</summary>
    internal int[] ResolveRoi(IReadOnlyList<int> imageSize)
    {
        int n = imageSize.Count;
        if (RoiSize is null || (RoiSize.Length != 1 && RoiSize.Length != n))
            throw new ArgumentException($"RoiSize has {RoiSize?.Length ?? 0} values; the input has {n} spatial axes (give 1 or {n}).");
        return Enumerable.Range(0, n).Select(i =>
        {
            int r = RoiSize.Length == 1 ? RoiSize[0] : RoiSize[i];
            return r <= 0 ? imageSize[i] : r;
        }).ToArray();
    }

    internal void Validate()
    {
        if (!(Overlap >= 0 && Overlap < 1))
            throw new ArgumentException($"Overlap must be in [0, 1), got {Overlap}.");
        if (SwBatchSize < 0)
            throw new ArgumentException($"SwBatchSize must be at least 1 (or 0 = auto), got {SwBatchSize}.");
        if (Mode == BlendMode.Gaussian && !(SigmaScale > 0 && double.IsFinite(SigmaScale)))
            throw new ArgumentException($"SigmaScale must be a positive finite number, got {SigmaScale}.");
        if (!double.IsFinite(PaddingValue))
            throw new ArgumentException($"PaddingValue must be finite, got {PaddingValue}.");
    }
}

using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation;

/// <summary>
/// Settings of the one-shot kNN evaluation (Blendowski et al., MICCAI 2019: descriptors at every 4th
/// voxel, k = 21 nearest atlas descriptors, majority vote, Dice).
/// </summary>
public sealed class KnnEvaluationOptions
{
    /// <summary>Descriptors are taken at every <c>Stride</c>-th voxel along each axis. Default 4.</summary>
    public int Stride { get; init; } = 4;

    /// <summary>Neighbours voting per query descriptor (capped at the atlas descriptor count). Default 21.</summary>
    public int K { get; init; } = 21;

    public KnnMetric Metric { get; init; } = KnnMetric.Cosine;

    /// <summary>
    /// Largest query × atlas distance block held at once (elements); bounds memory of the brute-force search.
    /// Default 2^24 (64 MiB of float32).
    /// </summary>
    public long MaxPairwiseElements { get; init; } = 1L << 24;

    /// <summary>Device for the descriptor search; null = CPU.</summary>
    public Device? Device { get; init; }

    internal void Validate()
    {
        if (Stride < 1) throw new ArgumentException($"Stride must be at least 1, got {Stride}.");
        if (K < 1) throw new ArgumentException($"K must be at least 1, got {K}.");
        if (MaxPairwiseElements < 1) throw new ArgumentException($"MaxPairwiseElements must be positive, got {MaxPairwiseElements}.");
    }
}

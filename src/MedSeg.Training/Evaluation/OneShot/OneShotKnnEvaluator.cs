using MedSeg.Training.Natives;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>Descriptors [n, F] of one volume at its sampled voxels with the labels there [n] and the full label map [Z, Y, X].</summary>
public sealed record DescribedVolume(string Id, Tensor Descriptors, Tensor SampledLabels, Tensor Labels, int Stride);

/// <summary>Label transfer to one target: predicted labels at the sampled voxels [n] and, for display, at full resolution [Z, Y, X].</summary>
public sealed record KnnTransfer(string Id, double[] Dice, Tensor SampledPrediction, Tensor Prediction);

/// <summary>
/// One-shot kNN label transfer from atlases to a target under a <see cref="KnnProtocol"/>: paper (raw Euclidean, Dice at
/// the sampled voxels) or dense (normalised descriptors, cosine, Dice of the nearest-upsampled labels at full resolution,
/// as <see cref="KnnSegmentationEvaluator"/>).
/// </summary>
public sealed class OneShotKnnEvaluator(KnnProtocol protocol, int k = 21, long maxPairwiseElements = 1L << 24)
{
    public KnnTransfer Transfer(IReadOnlyList<DescribedVolume> atlases, DescribedVolume target, int classes)
    {
        ArgumentNullException.ThrowIfNull(atlases);
        if (atlases.Count == 0) throw new ArgumentException("At least one labelled atlas is needed.", nameof(atlases));
        using var scope = NewDisposeScope();
        var atlas = cat(atlases.Select(a => a.Descriptors).ToArray(), 0);
        var atlasLabels = cat(atlases.Select(a => a.SampledLabels).ToArray(), 0);
        var sampled = NearestNeighbourVote.Classify(target.Descriptors, atlas, atlasLabels, k, classes,
            normalise: protocol == KnnProtocol.Dense, maxPairwiseElements);
        var spatial = target.Labels.shape;
        var sampledShape = spatial.Select(n => (n + target.Stride - 1) / target.Stride).ToArray();
        var full = NearestUpsample(sampled.view(sampledShape), spatial, target.Stride);
        var dice = protocol == KnnProtocol.Paper
            ? KnnSegmentationEvaluator.DicePerClass(sampled, target.SampledLabels, classes)
            : KnnSegmentationEvaluator.DicePerClass(full, target.Labels, classes);
        return new KnnTransfer(target.Id, dice, sampled.MoveToOuterDisposeScope(), full.MoveToOuterDisposeScope());
    }

    /// <summary>Each voxel takes the label of the nearest sample (samples at 0, s, 2s, …), as the dense evaluator.</summary>
    public static Tensor NearestUpsample(Tensor sparse, long[] spatial, int stride)
    {
        var result = sparse;
        for (int axis = 0; axis < spatial.Length; axis++)
        {
            var index = NearestSampleIndex(spatial[axis], stride, sparse.shape[axis], sparse.device);
            result = result.index_select(axis, index);
        }
        return result;
    }

    /// <summary>
    /// Each position 0..<paramref name="length"/>−1 mapped to the nearest of samples taken every <paramref name="stride"/>
    /// (⌊(i + stride/2) / stride⌋, at most <paramref name="samples"/>−1). Its numbers are Scalars held across the calls (see ScalarSafe).
    /// </summary>
    internal static Tensor NearestSampleIndex(long length, int stride, long samples, Device device)
    {
        using Scalar stop = length.ToScalar(), start = 0L.ToScalar(), step = 1L.ToScalar(), half = (stride / 2).ToScalar(), by = stride.ToScalar();
        using var positions = arange(start, stop, step, ScalarType.Int64, device);
        using var shifted = positions.add(half, ScalarSafe.One); // integer Scalars: Int64 stays Int64
        using var nearest = shifted.div(by, rounding_mode: RoundingMode.floor);
        return nearest.AtMost(samples - 1);
    }
}

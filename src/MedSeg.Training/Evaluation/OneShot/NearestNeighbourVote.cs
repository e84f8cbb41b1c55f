using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>
/// Exact kNN majority vote: each query descriptor takes the most frequent label among its k nearest atlas descriptors
/// (ties to the lowest class). Brute force in chunks of at most <paramref name="maxPairwiseElements"/> distances.
/// </summary>
public static class NearestNeighbourVote
{
    /// <param name="normalise">false: raw Euclidean distance (the paper); true: L2-normalised descriptors ranked by cosine.</param>
    public static Tensor Classify(Tensor query, Tensor atlas, Tensor atlasLabels, int k, int classes, bool normalise,
        long maxPairwiseElements = 1L << 24)
    {
        if (query.dim() != 2 || atlas.dim() != 2 || query.shape[1] != atlas.shape[1])
            throw new ArgumentException($"Query [{string.Join(", ", query.shape)}] and atlas [{string.Join(", ", atlas.shape)}] descriptors must be [n, F] of equal F.");
        if (atlas.shape[0] == 0) throw new ArgumentException("The atlases give no descriptors.");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), $"k must be ≥ 1, got {k}.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var q = query.to(ScalarType.Float32);
        var a = atlas.to(ScalarType.Float32);
        if (normalise)
        {
            q = nn.functional.normalize(q, p: 2, dim: 1);
            a = nn.functional.normalize(a, p: 2, dim: 1);
        }
        long m = a.shape[0];
        int kk = (int)Math.Min(k, m);
        long chunk = Math.Max(1, maxPairwiseElements / m);
        var labels = atlasLabels.to(ScalarType.Int64).to(q.device);
        var result = empty(q.shape[0], ScalarType.Int64, device: q.device);
        for (long start = 0; start < q.shape[0]; start += chunk)
        {
            using var inner = NewDisposeScope();
            long end = Math.Min(start + chunk, q.shape[0]);
            var part = q[TensorIndex.Slice(start, end)];
            var neighbours = normalise
                ? part.mm(a.t()).topk(kk, dim: 1, largest: true).indexes
                : cdist(part, a).topk(kk, dim: 1, largest: false).indexes;
            var counts = nn.functional.one_hot(labels[neighbours], classes).sum(1);
            result[TensorIndex.Slice(start, end)] = counts.argmax(1);
        }
        return result.MoveToOuterDisposeScope();
    }
}

using MedSeg.Core.Metrics;
using MedSeg.Core.Volumes;
using MedSeg.Training.Layout;
using MedSeg.Training.Natives;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation;

/// <summary>
/// One-shot segmentation by nearest neighbours in a learned feature space (Blendowski et al., "How to
/// learn from unlabeled volume data: self-supervised 3D context feature learning", MICCAI 2019):
/// descriptors at every s-th voxel of labelled atlases and of a query image, L2-normalised; each query
/// descriptor takes the majority label of its k nearest atlas descriptors (brute force, in chunks);
/// the sparse label grid is nearest-upsampled to full resolution and compared with the query's labels.
/// </summary>
public sealed class KnnSegmentationEvaluator(Func<Tensor, Tensor> featureExtractor, KnnEvaluationOptions? options = null)
{
    private readonly KnnEvaluationOptions _options = options ?? new KnnEvaluationOptions();

    /// <param name="atlases">Images [1, C, D, H, W] with label maps [D, H, W] (int64 class indices).</param>
    /// <param name="query">The image to segment and its reference labels.</param>
    public KnnEvaluationResult Evaluate(IReadOnlyList<(Tensor Image, Tensor Label)> atlases, (Tensor Image, Tensor Label) query)
    {
        ArgumentNullException.ThrowIfNull(atlases);
        if (atlases.Count == 0) throw new ArgumentException("At least one labelled atlas is needed.", nameof(atlases));
        _options.Validate();
        var device = _options.Device ?? CPU;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();

        var atlasDescriptors = new List<Tensor>();
        var atlasLabels = new List<Tensor>();
        for (int i = 0; i < atlases.Count; i++)
        {
            var (d, l) = Describe(atlases[i].Image, atlases[i].Label, $"atlas {i}", device);
            atlasDescriptors.Add(d);
            atlasLabels.Add(l);
        }
        var atlas = cat(atlasDescriptors, 0);
        var atlasLabel = cat(atlasLabels, 0);
        var (queryDescriptors, _) = Describe(query.Image, query.Label, "query", device);
        if (queryDescriptors.shape[1] != atlas.shape[1])
            throw new ArgumentException($"Query descriptors have {queryDescriptors.shape[1]} features, atlas descriptors {atlas.shape[1]}.");

        int classes = (int)Math.Max(atlasLabel.max().item<long>(), query.Label.max().item<long>()) + 1;
        var votes = Vote(queryDescriptors, atlas, atlasLabel, classes);

        var spatial = query.Label.shape;
        var sparse = votes.view(SampledShape(spatial));
        var prediction = OneShot.OneShotKnnEvaluator.NearestUpsample(sparse, spatial, _options.Stride).cpu();
        var dice = DicePerClass(prediction, query.Label.cpu(), classes);
        var present = dice.Skip(1).Where(d => !double.IsNaN(d)).ToList();
        double mean = present.Count == 0 ? double.NaN : present.Average();
        return new KnnEvaluationResult(prediction.MoveToOuterDisposeScope(), dice, mean, (int)atlas.shape[0], (int)queryDescriptors.shape[0]);
    }

    /// <summary>
    /// Volumes in, laid out as the network was trained (<paramref name="axisOrder"/>, see <see cref="TensorLayout"/>);
    /// the prediction comes back in buffer order [Z, Y, X] whatever the order.
    /// </summary>
    public KnnEvaluationResult Evaluate(IReadOnlyList<(Volume Image, Volume Label)> atlases, (Volume Image, Volume Label) query,
        AxisOrder axisOrder = AxisOrder.Zyx)
    {
        ArgumentNullException.ThrowIfNull(atlases);
        using var scope = NewDisposeScope();
        var atlasTensors = atlases.Select(a => (TensorLayout.ImageTensor(a.Image, axisOrder), TensorLayout.LabelTensor(a.Label, axisOrder))).ToList();
        var result = Evaluate(atlasTensors, (TensorLayout.ImageTensor(query.Image, axisOrder), TensorLayout.LabelTensor(query.Label, axisOrder)));
        return result with { Prediction = TensorLayout.ToBufferOrder(result.Prediction, axisOrder).MoveToOuterDisposeScope() };
    }

    /// <summary>Descriptors [N, F] (L2-normalised) and labels [N] at every s-th voxel.</summary>
    private (Tensor Descriptors, Tensor Labels) Describe(Tensor image, Tensor label, string what, Device device)
    {
        if (image.dim() != 5 || image.shape[0] != 1)
            throw new ArgumentException($"{what}: image must be [1, C, D, H, W], got [{string.Join(", ", image.shape)}].");
        if (label.dim() != 3 || !label.shape.SequenceEqual(image.shape.Skip(2)))
            throw new ArgumentException($"{what}: label [{string.Join(", ", label.shape)}] must be [D, H, W] of the image [{string.Join(", ", image.shape)}].");
        if (label.is_floating_point() || label.min().item<long>() < 0)
            throw new ArgumentException($"{what}: labels must be non-negative integer class indices.");
        var features = featureExtractor(image);
        features = Evaluation.ModuleFeatureExtractor.UpsampleTo(features, image.shape.Skip(2).ToArray());
        int s = _options.Stride;
        var sampled = features[0].index(TensorIndex.Colon, TensorIndex.Slice(0, null, s), TensorIndex.Slice(0, null, s), TensorIndex.Slice(0, null, s));
        var descriptors = sampled.reshape(sampled.shape[0], -1).t().to(ScalarType.Float32).to(device);
        descriptors = nn.functional.normalize(descriptors, p: 2, dim: 1);
        var labels = label.index(TensorIndex.Slice(0, null, s), TensorIndex.Slice(0, null, s), TensorIndex.Slice(0, null, s))
            .reshape(-1).to(ScalarType.Int64).to(device);
        return (descriptors, labels);
    }

    private Tensor Vote(Tensor query, Tensor atlas, Tensor atlasLabel, int classes)
    {
        long m = atlas.shape[0];
        int k = (int)Math.Min(_options.K, m);
        long chunk = Math.Max(1, _options.MaxPairwiseElements / m);
        var result = empty(query.shape[0], ScalarType.Int64, device: query.device);
        for (long start = 0; start < query.shape[0]; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            long end = Math.Min(start + chunk, query.shape[0]);
            var q = query[TensorIndex.Slice(start, end)];
            var neighbours = _options.Metric == KnnMetric.Cosine
                ? q.mm(atlas.t()).topk(k, dim: 1, largest: true).indexes
                : cdist(q, atlas).topk(k, dim: 1, largest: false).indexes;
            var neighbourLabels = atlasLabel[neighbours];                                  // [n, k]
            var counts = nn.functional.one_hot(neighbourLabels, classes).sum(1);           // [n, C]
            // Ties go to the lowest class index (argmax returns the first maximum).
            result[TensorIndex.Slice(start, end)] = counts.argmax(1);
        }
        return result;
    }

    private long[] SampledShape(long[] spatial) => spatial.Select(n => (n + _options.Stride - 1) / _options.Stride).ToArray();

    /// <summary>Dice per class 0..C−1 with MONAI's conventions (<see cref="DiceCoefficient.FromCounts"/>: NaN when the reference lacks the class).</summary>
    public static double[] DicePerClass(Tensor prediction, Tensor reference, int classes)
    {
        using var scope = NewDisposeScope();
        var dice = new double[classes];
        for (int c = 0; c < classes; c++)
        {
            var p = prediction.EqualTo(c);
            var t = reference.EqualTo(c);
            dice[c] = DiceCoefficient.FromCounts(p.logical_and(t).sum().item<long>(), p.sum().item<long>(), t.sum().item<long>());
        }
        return dice;
    }
}

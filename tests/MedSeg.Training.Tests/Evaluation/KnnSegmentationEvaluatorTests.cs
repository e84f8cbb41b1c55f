using MedSeg.Training.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Evaluation;

public class KnnSegmentationEvaluatorTests
{
    private const int Classes = 3;
    private const int Size = 24;

    /// <summary>A 24³ label map: background, a ball (1) and a box (2) placed by <paramref name="seed"/>.</summary>
    private static Tensor Labels(int seed)
    {
        var rng = new Random(seed);
        int n = Size;
        var labels = new long[n * n * n];
        int cz = rng.Next(8, 16), cy = rng.Next(8, 16), cx = rng.Next(8, 16), r = rng.Next(5, 8);
        int bz = rng.Next(0, 14), by = rng.Next(0, 14), bx = rng.Next(0, 14);
        for (int z = 0; z < n; z++)
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++)
                {
                    long v = 0;
                    if ((z - cz) * (z - cz) + (y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) v = 1;
                    if (z >= bz && z < bz + 10 && y >= by && y < by + 10 && x >= bx && x < bx + 10) v = 2;
                    labels[(z * n + y) * n + x] = v;
                }
        return tensor(labels, new long[] { n, n, n });
    }

    /// <summary>The "image" carries the label as its intensity so the extractor can see it.</summary>
    private static (Tensor Image, Tensor Label) Case(int seed)
    {
        var label = Labels(seed);
        return (label.to(ScalarType.Float32).reshape(1, 1, Size, Size, Size), label);
    }

    /// <summary>One-hot of the label channels and five empty channels, plus Gaussian noise.</summary>
    private static Tensor OneHotPlusNoise(Tensor image) => OneHotPlus(image, 0.3f);

    private static Tensor OneHotPlus(Tensor image, float noise)
    {
        var oneHot = nn.functional.one_hot(image[0, 0].to(ScalarType.Int64), Classes).permute(3, 0, 1, 2).unsqueeze(0).to(ScalarType.Float32);
        var features = cat([oneHot, zeros(new long[] { 1, 5, Size, Size, Size })], 1);
        return features + noise * randn_like(features);
    }

    private static Tensor RandomFeatures(Tensor image) => randn(new long[] { 1, 8, Size, Size, Size });

    [Theory]
    [InlineData(KnnMetric.Cosine)]
    [InlineData(KnnMetric.Euclidean)]
    public void Label_Carrying_Features_Recover_The_Labels(KnnMetric metric)
    {
        manual_seed(1);
        var atlases = new[] { Case(1), Case(2) };
        var query = Case(3);
        // Stride 1 so the sparse grid is the full grid; small chunks force several query chunks.
        var evaluator = new KnnSegmentationEvaluator(OneHotPlusNoise,
            new KnnEvaluationOptions { Stride = 1, Metric = metric, MaxPairwiseElements = 1 << 22 });

        var result = evaluator.Evaluate(atlases, query);

        Assert.Equal(query.Label.shape, result.Prediction.shape);
        Assert.Equal(2 * Size * Size * Size, result.AtlasDescriptors);
        Assert.True(result.Dice[1] > 0.9, $"ball Dice {result.Dice[1]:F3}");
        Assert.True(result.Dice[2] > 0.9, $"box Dice {result.Dice[2]:F3}");
        Assert.True(result.MeanForegroundDice > 0.9);
        result.Prediction.Dispose();
    }

    [Fact]
    public void Stride_Four_Reaches_The_Dice_Of_Nearest_Upsampled_Reference_Labels()
    {
        // At stride 4 even a perfect vote loses the boundary detail between samples; the ceiling is the Dice of the
        // reference sampled at every 4th voxel and upsampled by hand (nearest sample: floor((i + 2) / 4), clamped).
        manual_seed(3);
        var query = Case(3);
        // Low noise: with k = 21 and only a few dozen ball descriptors per atlas, noisy votes near the boundary lean to
        // the majority class; this test is about the sampling and upsampling, not the vote.
        var evaluator = new KnnSegmentationEvaluator(image => OneHotPlus(image, 0.1f), new KnnEvaluationOptions { Stride = 4 });
        var result = evaluator.Evaluate([Case(1), Case(2)], query);
        Assert.Equal(6 * 6 * 6, result.QueryDescriptors);

        var truth = query.Label.data<long>().ToArray();
        var ceiling = new long[truth.Length];
        static int Nearest(int i) => Math.Min((i + 2) / 4, 5) * 4;
        for (int z = 0; z < Size; z++)
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                    ceiling[(z * Size + y) * Size + x] = truth[(Nearest(z) * Size + Nearest(y)) * Size + Nearest(x)];
        using var ceilingTensor = tensor(ceiling, query.Label.shape);
        // At the descriptor positions themselves the vote must (almost) always be right.
        var samples = TensorIndex.Slice(0, null, 4);
        long wrongSamples = result.Prediction.index(samples, samples, samples).ne(query.Label.index(samples, samples, samples)).sum().item<long>();
        Assert.True(wrongSamples <= 4, $"{wrongSamples} of 216 samples voted wrong");
        var ceilingDice = KnnSegmentationEvaluator.DicePerClass(ceilingTensor, query.Label, Classes);
        Assert.True(Math.Abs(ceilingDice[1] - result.Dice[1]) < 0.05, $"ball Dice {result.Dice[1]:F3}, ceiling {ceilingDice[1]:F3}");
        Assert.True(Math.Abs(ceilingDice[2] - result.Dice[2]) < 0.05, $"box Dice {result.Dice[2]:F3}, ceiling {ceilingDice[2]:F3}");
        // And the upsampling is the nearest-sample one: where every vote is right the maps coincide.
        if (wrongSamples == 0) Assert.True(TensorAssert.Same(ceilingTensor, result.Prediction));
        result.Prediction.Dispose();
    }

    [Fact]
    public void Random_Features_Give_Low_Foreground_Dice()
    {
        manual_seed(2);
        var evaluator = new KnnSegmentationEvaluator(RandomFeatures);
        var result = evaluator.Evaluate([Case(1), Case(2)], Case(3));
        Assert.True(result.MeanForegroundDice < 0.5, $"mean foreground Dice {result.MeanForegroundDice:F3}");
        result.Prediction.Dispose();
    }

    [Fact]
    public void Stride_One_With_Exact_Features_Reproduces_An_Identical_Query()
    {
        // Atlas == query and noiseless one-hot features: with k = 1 every voxel finds a descriptor of its own class.
        var c = Case(4);
        Tensor Exact(Tensor image) => nn.functional.one_hot(image[0, 0].to(ScalarType.Int64), Classes).permute(3, 0, 1, 2).unsqueeze(0).to(ScalarType.Float32);
        var evaluator = new KnnSegmentationEvaluator(Exact, new KnnEvaluationOptions { Stride = 1, K = 1 });
        var result = evaluator.Evaluate([c], c);
        Assert.True(result.Prediction.eq(c.Label).all().item<bool>());
        Assert.All(result.Dice, d => Assert.Equal(1.0, d));
    }

    [Fact]
    public void Dice_Is_NaN_For_A_Class_Absent_From_The_Reference()
    {
        using var p = tensor(new long[] { 0, 1, 1, 0, 3 });
        using var t = tensor(new long[] { 0, 1, 0, 0, 0 });
        var dice = KnnSegmentationEvaluator.DicePerClass(p, t, 4);
        Assert.Equal(2.0 * 2 / 6, dice[0], 10);
        Assert.Equal(2.0 * 1 / 3, dice[1], 10);
        Assert.True(double.IsNaN(dice[2]));   // in neither
        Assert.True(double.IsNaN(dice[3]));   // predicted only: MONAI ignore_empty
    }

    [Fact]
    public void Volume_Overload_Matches_The_Tensor_Path()
    {
        static MedSeg.Core.Volumes.Volume Vol(Tensor t, bool asFloat) => asFloat
            ? new(Size, Size, Size, t.to(ScalarType.Float32).data<float>().ToArray())
            : new(Size, Size, Size, t.to(ScalarType.Byte).data<byte>().ToArray());
        var a = Case(1);
        var q = Case(3);
        Tensor Exact(Tensor image) => nn.functional.one_hot(image[0, 0].to(ScalarType.Int64), Classes).permute(3, 0, 1, 2).unsqueeze(0).to(ScalarType.Float32);
        var evaluator = new KnnSegmentationEvaluator(Exact, new KnnEvaluationOptions { Stride = 2 });
        var fromTensors = evaluator.Evaluate([a], q);
        var fromVolumes = evaluator.Evaluate([(Vol(a.Label, true), Vol(a.Label, false))], (Vol(q.Label, true), Vol(q.Label, false)));
        Assert.True(TensorAssert.Same(fromTensors.Prediction, fromVolumes.Prediction));
        Assert.Equal(fromTensors.Dice, fromVolumes.Dice);
    }

    [Fact]
    public void Label_Shape_Mismatch_Is_Rejected()
    {
        var c = Case(1);
        var evaluator = new KnnSegmentationEvaluator(RandomFeatures);
        var ex = Assert.Throws<ArgumentException>(() => evaluator.Evaluate([(c.Image, c.Label[..12])], c));
        Assert.Contains("atlas 0", ex.Message);
    }
}

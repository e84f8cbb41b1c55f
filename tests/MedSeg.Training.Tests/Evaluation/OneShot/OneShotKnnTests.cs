using MedSeg.Core.ContextFeatures;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Nifti;
using MedSeg.Training.Evaluation;
using MedSeg.Training.Evaluation.OneShot;
using MedSeg.Training.Networks.Nets.Context;
using MedSeg.Training.Tests.FineTune;
using TorchSharp;
using static TorchSharp.torch;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Evaluation.OneShot;

/// <summary>The one-shot kNN protocols on hand-built descriptor fields with known answers, and the dataset runner.</summary>
public class OneShotKnnTests
{
    private static DescribedVolume Field(string id, float[,] descriptors, long[] labels, long[] shape, int stride = 1)
    {
        int n = descriptors.GetLength(0), f = descriptors.GetLength(1);
        var flat = new float[n * f];
        Buffer.BlockCopy(descriptors, 0, flat, 0, flat.Length * sizeof(float));
        var full = tensor(labels, shape);
        var sampled = full.index(TensorIndex.Slice(0, null, stride), TensorIndex.Slice(0, null, stride), TensorIndex.Slice(0, null, stride)).reshape(-1);
        return new DescribedVolume(id, tensor(flat, [n, f]), sampled, full, stride);
    }

    [Fact]
    public void Raw_Euclidean_And_Normalised_Give_Different_Each_Correct_Labels()
    {
        // Atlas: class 1 at (1, 0), class 2 at (10, 1). Target (2, 0.2): nearest in raw Euclidean is (1, 0) (distance 1.02
        // vs 8.04), while its direction equals (10, 1)'s exactly (cosine 1 vs 0.995).
        var atlas = Field("atlas", new float[,] { { 1, 0 }, { 10, 1 } }, [1, 2], [1, 1, 2]);
        var target = Field("target", new float[,] { { 2, 0.2f } }, [1], [1, 1, 1]);

        var paper = new OneShotKnnEvaluator(KnnProtocol.Paper, k: 1).Transfer([atlas], target, classes: 3);
        var dense = new OneShotKnnEvaluator(KnnProtocol.Dense, k: 1).Transfer([atlas], target, classes: 3);

        Assert.Equal(1, paper.SampledPrediction[0].item<long>());
        Assert.Equal(2, dense.SampledPrediction[0].item<long>());
        Assert.Equal(1.0, paper.Dice[1]);
        Assert.Equal(0.0, dense.Dice[1]);
        Assert.True(double.IsNaN(paper.Dice[2]));   // class 2 absent from the target's reference
    }

    [Fact]
    public void Paper_Scores_At_The_Sampled_Voxels_Dense_At_Full_Resolution()
    {
        // 4×4×4 target, stride 2: the 8 sampled voxels (even indices) carry class 1, every other voxel class 2.
        var labels = new long[64];
        for (int z = 0; z < 4; z++) for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++)
            labels[(z * 4 + y) * 4 + x] = z % 2 == 0 && y % 2 == 0 && x % 2 == 0 ? 1 : 2;
        var descriptors = new float[8, 1];
        for (int i = 0; i < 8; i++) descriptors[i, 0] = 1;
        var target = Field("target", descriptors, labels, [4, 4, 4], stride: 2);
        var atlas = Field("atlas", new float[,] { { 1 } }, [1], [1, 1, 1]);

        var paper = new OneShotKnnEvaluator(KnnProtocol.Paper, k: 1).Transfer([atlas], target, classes: 3);
        var dense = new OneShotKnnEvaluator(KnnProtocol.Dense, k: 1).Transfer([atlas], target, classes: 3);

        Assert.Equal(1.0, paper.Dice[1]);                  // all 8 sampled voxels right
        Assert.True(double.IsNaN(paper.Dice[2]));          // class 2 never sampled
        Assert.Equal(2.0 * 8 / (64 + 8), dense.Dice[1], 9);    // upsampled: all 64 voxels say 1, 8 are
        Assert.Equal(0.0, dense.Dice[2]);
    }

    [Fact]
    public void Dense_Protocol_Equals_The_Existing_Evaluator()
    {
        var random = new Random(11);
        (Tensor Image, Tensor Label) Case()
        {
            var labels = new long[6 * 6 * 6];
            var features = new float[2 * labels.Length];
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = random.Next(3);
                features[i] = (float)(labels[i] + random.NextDouble());
                features[labels.Length + i] = (float)random.NextDouble() * 3;
            }
            return (tensor(features, [1, 2, 6, 6, 6]), tensor(labels, [6, 6, 6]));
        }
        var atlas = Case();
        var target = Case();
        var existing = new KnnSegmentationEvaluator(image => image, new KnnEvaluationOptions { Stride = 2, K = 3 })
            .Evaluate([atlas], target);

        DescribedVolume Describe(string id, (Tensor Image, Tensor Label) c)
        {
            var sampled = c.Image[0].index(TensorIndex.Colon, TensorIndex.Slice(0, null, 2), TensorIndex.Slice(0, null, 2), TensorIndex.Slice(0, null, 2));
            var labels = c.Label.index(TensorIndex.Slice(0, null, 2), TensorIndex.Slice(0, null, 2), TensorIndex.Slice(0, null, 2)).reshape(-1);
            return new DescribedVolume(id, sampled.reshape(2, -1).t().contiguous(), labels, c.Label, 2);
        }
        var mine = new OneShotKnnEvaluator(KnnProtocol.Dense, k: 3).Transfer([Describe("a", atlas)], Describe("t", target), classes: 3);

        Assert.True(TensorAssert.Same(existing.Prediction, mine.Prediction));
        Assert.Equal(existing.Dice, mine.Dice);
    }

    [Fact]
    public void Options_Name_Field_Value_And_Limit()
    {
        var problems = new OneShotKnnOptions { Dataset = "", Atlases = 10, Stride = 0, K = 5000, MaxTargets = 0, Features = "bogus" }.Problems();
        Assert.Contains(problems, p => p.StartsWith("Dataset:"));
        Assert.Contains(problems, p => p.Contains("Atlases: 10") && p.Contains("1..9"));
        Assert.Contains(problems, p => p.Contains("Stride: 0") && p.Contains("1..16"));
        Assert.Contains(problems, p => p.Contains("K: 5000"));
        Assert.Contains(problems, p => p.Contains("Max targets: 0"));
        Assert.Contains(problems, p => p.StartsWith("Features:"));
        Assert.Empty(new OneShotKnnOptions { Dataset = "x" }.Problems());
    }

    [Fact]
    public void Runner_Picks_Seeded_Atlases_From_Train_Scores_Test_Targets_And_Writes_The_Transfer()
    {
        using var temp = new TempDirectory();
        var dataset = TinyPhantomDataset.Create(temp.Path);
        var list = MsdCaseList.Read(dataset);
        var options = new OneShotKnnOptions { Dataset = dataset, Atlases = 2, Seed = 1, Stride = 8 };
        var (atlases, targets) = OneShotKnnBenchmark.Choose(list, options);
        Assert.Equal(2, atlases.Count);
        Assert.All(atlases, a => Assert.Contains(a.Id, list.Split!.Train));
        Assert.Equal(["phantom_005"], targets.Select(t => t.Id));
        Assert.Equal(atlases.Select(a => a.Id), OneShotKnnBenchmark.Choose(list, options).Atlases.Select(a => a.Id));
        var otherSeeds = Enumerable.Range(2, 6).Select(s => string.Join(",", OneShotKnnBenchmark.Choose(list, options with { Seed = s }).Atlases.Select(a => a.Id)));
        Assert.Contains(otherSeeds, s => s != string.Join(",", atlases.Select(a => a.Id)));
        Assert.Throws<ArgumentException>(() => OneShotKnnBenchmark.Choose(list, options with { Atlases = 5 }));

        using var net = new ContextDescriptorNet();
        using var source = new ContextDescriptors(net, "test context", ownsNet: false);
        var transfer = Path.Combine(temp.Path, "transfer.nii.gz");
        var report = OneShotKnnBenchmark.Run(source, options, "tiny", transfer);

        Assert.Equal(192, report.DescriptorLength);
        Assert.Single(report.Targets);
        Assert.Equal(list.LabelNames.Count - 1, report.DicePerOrgan.Count);
        Assert.All(report.DicePerOrgan.Values, v => Assert.True(v is null or >= 0 and <= 1));
        Assert.Equal("phantom_005", report.TransferCase);
        var written = NiftiReader.Read(transfer);
        var reference = NiftiReader.Read(list.Find("phantom_005")!.LabelPath);
        Assert.Equal((reference.SizeX, reference.SizeY, reference.SizeZ), (written.SizeX, written.SizeY, written.SizeZ));
        Assert.Equal(reference.Affine, written.Affine);
        Assert.True(report.DescriptorSecondsPerVolume > 0);
    }

    [Fact]
    public void Doersch_Descriptors_Are_Taken_At_Every_Stride_Voxel()
    {
        var data = new float[9 * 7 * 5];
        for (int i = 0; i < data.Length; i++) data[i] = (float)Math.Sin(i);
        var volume = new SamplingVolume(data, 9, 7, 5);
        using var net = new DoerschNet();
        using var source = new DoerschDescriptors(net, "doersch", ownsNet: false);
        using var d = source.Describe(volume, 4);
        Assert.Equal(new long[] { 3 * 2 * 2, 192 }, d.shape);           // ⌈9/4⌉·⌈7/4⌉·⌈5/4⌉
        Assert.True(d.isfinite().all().item<bool>());
        // The first descriptor is the cube around voxel (0, 0, 0).
        var cube = new float[PatchOffsets.CubeSamples];
        PatchOffsets.Sample(volume, -1, -1, -1, PatchOffsets.Cube(), cube);
        net.eval();
        using var _ = no_grad();
        using var expected = net.call(tensor(cube, [1, 1, 25, 25, 25])).reshape(-1);
        double diff = TensorAssert.MaxAbsDifference(d[0], expected);
        Assert.True(diff < 1e-4 * Math.Max(1, expected.abs().max().item<float>()), $"max-abs {diff:E3}, scale {expected.abs().max().item<float>()}");
    }
}

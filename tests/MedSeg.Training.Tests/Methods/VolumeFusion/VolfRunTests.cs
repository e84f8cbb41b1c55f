using System.Text.Json;
using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Methods;
using MedSeg.Training.Methods.VolumeFusion;
using MedSeg.Training.Progress;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Methods.VolumeFusion;

/// <summary>
/// A tiny PCT-Net pretrained with Volume Fusion on phantom sources through the shared loop: the loss falls and an
/// interrupted run resumes bit for bit. Serial: seeded weight init uses libtorch's global generator.
/// </summary>
[Collection(SerialCollection.Name)]
public class VolfRunTests
{
    private const int Steps = 60;

    internal static VolfTrainOptions TinyOptions(string dir) => new()
    {
        OutputDir = dir,
        PhantomCount = 3,
        PhantomSize = [40, 40, 20],
        Volf = new VolfOptions { Size = [16, 32, 32], BoxCountMin = 3, BoxCountMax = 8, BoxSizeMin = [2, 4, 4], BoxSizeMax = [10, 20, 20] },
        ModelArgs = new() { ["feature_chns"] = "[4, 4, 8, 8, 8]", ["num_heads"] = "[1, 1, 1]", ["window_sizes"] = "[4, 2, 2]" },
        BatchSize = 2,
        Steps = Steps,
        Seed = 3,
        CheckpointEvery = 20,
        ValidationEvery = Steps,
        ValidationSamples = 2,
        TorchThreads = 1,
        Device = "cpu",
    };

    private static TrainingResult Train(VolfTrainOptions o, IProgress<TrainingProgress>? progress = null, CancellationToken ct = default)
    {
        // Through the catalogue, as the portal and the CLI find it.
        return MethodCatalog.Default.Get("volf").Prepare(o).Train(progress, ct);
    }

    [Fact]
    public void Sixty_steps_of_a_tiny_PCTNet_lower_the_loss_and_an_interrupted_run_resumes_bit_exactly()
    {
        using var tmp = new TempDirectory();
        var straight = Train(TinyOptions(tmp.File("straight")));
        Assert.Equal(RunStatus.Completed, straight.State);
        Assert.Equal(Steps, straight.Losses.Count);
        double first = straight.Losses.Take(10).Average(), last = straight.Losses.TakeLast(10).Average();
        Assert.True(first > last, $"loss did not fall: first 10 mean {first:F4}, last 10 mean {last:F4}");

        // Validation: Dice per fusion class (background + K = 4) in metrics.jsonl; config names the method and model.
        var config = File.ReadAllText(Path.Combine(tmp.File("straight"), "config.json"));
        Assert.Contains("\"method\": \"volf\"", config);
        Assert.Contains("PCTNet(", config);
        var lastMetrics = File.ReadAllLines(Path.Combine(tmp.File("straight"), "metrics.jsonl")).Last();
        Assert.Contains("val", lastMetrics);

        var dir = tmp.File("resumed");
        using var cts = new CancellationTokenSource();
        var part1 = Train(TinyOptions(dir), new SyncProgress(p => { if (p.Step == 30) cts.Cancel(); }), cts.Token);
        Assert.Equal(RunStatus.Interrupted, part1.State);
        var part2 = Train(TinyOptions(dir) with { Resume = true });
        Assert.Equal(RunStatus.Completed, part2.State);
        var combined = part1.Losses.Concat(part2.Losses).ToArray();
        Assert.Equal(Steps, combined.Length);
        for (int i = 0; i < Steps; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(straight.Losses[i]) == BitConverter.DoubleToInt64Bits(combined[i]),
                $"step {i + 1}: uninterrupted {straight.Losses[i]:R} vs resumed {combined[i]:R}");
    }

    [Fact]
    public void Bad_options_are_refused_naming_the_field_and_leave_a_failed_status()
    {
        using var tmp = new TempDirectory();
        var o = TinyOptions(tmp.File("bad")) with { Volf = new VolfOptions { Size = [12, 32, 32] } };
        var e = Assert.Throws<TrainingException>(() => VolfMethod.Instance.Prepare(o));
        Assert.Contains("volf.size[0]", e.Message);
        Assert.Contains("multiple of 8", e.Message);
        Assert.Equal(RunStatus.Failed, new RunFolder(o.OutputDir).ReadStatus()!.State);

        var both = TinyOptions(tmp.File("both")) with { SourceDir = tmp.Path, BatchSize = 0 };
        var problems = both.Problems();
        Assert.Contains(problems, p => p.Contains("exactly one source"));
        Assert.Contains(problems, p => p.Contains("batchSize (--batch) must be in 1..64, got 0"));

        var json = VolfMethod.Instance.ReadOptions(JsonDocument.Parse("""{"outputDir":"x","phantomCount":2,"volf":{"variant":"pymic2024"}}""").RootElement);
        Assert.Equal(VolfVariant.Pymic2024, ((VolfTrainOptions)json).Volf.Variant);
        Assert.Throws<JsonException>(() => VolfMethod.Instance.ReadOptions(JsonDocument.Parse("""{"outputDir":"x","stepz":3}""").RootElement));
    }
}

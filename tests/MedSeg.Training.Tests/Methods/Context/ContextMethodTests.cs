using System.Security.Cryptography;
using System.Text.Json;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Evaluation.OneShot;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Methods;
using MedSeg.Training.Methods.Context;
using MedSeg.Training.Methods.Doersch;
using MedSeg.Training.Progress;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.FineTune;
using MedSeg.Training.Tests.Support;
using MedSeg.Training.Weights;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Methods.Context;

/// <summary>
/// The context and Doersch methods on the seam: through the catalogue and the shared loop, interrupted and resumed bit for
/// bit; the exported model is a descriptor source for one-shot kNN. Serial: seeded init uses libtorch's global generator.
/// </summary>
[Collection(SerialCollection.Name)]
public class ContextMethodTests
{
    private const int Steps = 6, StopAt = 3;

    public static TheoryData<string, string> Runs => new()
    {
        { "context", "heatmap" },
        { "context", "reg2d" },
        { "doersch", "" },
    };

    private static IMethodOptions Options(string method, string task, string source, string dir) => method == "context"
        ? new ContextOptions
        {
            OutputDir = dir, Source = source, Task = task == "reg2d" ? ContextTask.Reg2d : ContextTask.Heatmap, Steps = Steps,
            BatchSize = 2, LearningRate = 1e-3, CheckpointEvery = 2, Device = "cpu", TorchThreads = 1, Seed = 4,
        }
        : new DoerschOptions
        {
            OutputDir = dir, Source = source, Steps = Steps, BatchSize = 2, LearningRate = 1e-3, CheckpointEvery = 2,
            Device = "cpu", TorchThreads = 1, Seed = 4,
        };

    private static IMethodOptions Resumed(IMethodOptions o) => o switch
    {
        ContextOptions c => c with { Resume = true },
        DoerschOptions d => d with { Resume = true },
        _ => throw new ArgumentException("unknown options"),
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Trains_Through_The_Shared_Loop_And_Resumes_Bit_Exactly(string name, string task)
    {
        using var tmp = new TempDirectory();
        var source = TinyPhantomDataset.Create(tmp.File("data"));
        var method = MethodCatalog.Default.Get(name);

        var straightDir = tmp.File("straight");
        var straight = new List<TrainingProgress>();
        Assert.Equal(RunStatus.Completed, method.Prepare(Options(name, task, source, straightDir)).Train(new SyncProgress(straight.Add)).State);

        var resumedDir = tmp.File("resumed");
        var resumed = new List<TrainingProgress>();
        using var cts = new CancellationTokenSource();
        var first = method.Prepare(Options(name, task, source, resumedDir))
            .Train(new SyncProgress(p => { resumed.Add(p); if (p.Step == StopAt) cts.Cancel(); }), cts.Token);
        Assert.Equal(RunStatus.Interrupted, first.State);
        Assert.Equal(RunStatus.Completed, method.Prepare(Resumed(Options(name, task, source, resumedDir))).Train(new SyncProgress(resumed.Add)).State);

        Assert.Equal(straight.Select(r => r.Step), resumed.Select(r => r.Step));
        for (int i = 0; i < Steps; i++)
        {
            Assert.True(float.IsFinite((float)straight[i].Loss));
            Assert.True(BitConverter.DoubleToInt64Bits(straight[i].Loss) == BitConverter.DoubleToInt64Bits(resumed[i].Loss),
                $"step {i + 1}: loss {straight[i].Loss:R} vs resumed {resumed[i].Loss:R}");
        }
        foreach (var file in new[] { CheckpointStore.ModelFile, CheckpointStore.HeadsFile, CheckpointStore.OptimizerFile })
            Assert.Equal(Hash(straightDir, file), Hash(resumedDir, file));
        if (name == "context")
            Assert.Equal(["loss_axis0", "loss_axis1", "loss_axis2"], straight[0].Terms!.Keys.Order());

        // The exported backbone is self-describing: a descriptor source for one-shot kNN.
        var weights = Path.Combine(straightDir, "checkpoints", $"step-{Steps:D9}", CheckpointStore.WeightsFile);
        Assert.Equal(name == "context" ? "ContextDescriptorNet" : "DoerschNet", SafetensorsHeader.Read(weights).Metadata["model"]);
        using var descriptors = DescriptorSources.FromRun(straightDir);
        Assert.Contains("192-d", descriptors.Description);
    }

    [Fact]
    public void Options_Read_From_Json_With_Defaults_Unknown_Fields_Refused_And_Problems_Named()
    {
        var method = MethodCatalog.Default.Get("context");
        var o = (ContextOptions)method.ReadOptions(JsonDocument.Parse("""{"outputDir":"/tmp/x","source":"/d","task":"Reg2d","axisMapping":"Notebook"}""").RootElement);
        Assert.Equal(new ContextOptions { OutputDir = "/tmp/x", Source = "/d", Task = ContextTask.Reg2d, AxisMapping = Core.ContextFeatures.ContextAxisMapping.Notebook }, o);
        Assert.Equal((8, 5e-5, 800_000), (o.BatchSize, o.LearningRate, o.Steps));
        Assert.Throws<JsonException>(() => method.ReadOptions(JsonDocument.Parse("""{"outputDir":"/tmp/x","stepz":5}""").RootElement));
        var problems = (o with { Steps = 0, BatchSize = 999, LearningRate = 2, FixedMin = 0.5, FixedMax = 0.2 }).Problems();
        Assert.Contains(problems, p => p.Contains("Steps: 0"));
        Assert.Contains(problems, p => p.Contains("Batch size: 999") && p.Contains("1..256"));
        Assert.Contains(problems, p => p.Contains("Learning rate: 2"));
        Assert.Contains(problems, p => p.Contains("Fixed offset range"));
        var doersch = (DoerschOptions)MethodCatalog.Default.Get("doersch").CreateDefaultOptions();
        Assert.Contains(doersch.Problems(), p => p.StartsWith("Source:"));
        using var tmp = new TempDirectory();
        Directory.CreateDirectory(tmp.File("nothing-here"));
        var missing = Assert.Throws<TrainingException>(() => method.Prepare(o with { OutputDir = tmp.File("run"), Source = tmp.File("nothing-here") }));
        Assert.Contains("no .nii", missing.Message);
        Assert.False(Directory.Exists(tmp.File("run")) && Directory.EnumerateFileSystemEntries(tmp.File("run")).Any());
    }

    private static string Hash(string run, string file) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(run, "checkpoints", $"step-{Steps:D9}", file))));
}

using System.Security.Cryptography;
using System.Text.Json;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Methods;
using MedSeg.Training.Progress;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Methods.Toy;
using MedSeg.Training.Tests.Support;
using MedSeg.Training.Weights;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Methods;

/// <summary>
/// A method written in the test project (options + batch source + heads and a two-term loss), registered through the
/// catalogue, trained through the shared loop, and resumed exactly. Serial: seeded weight init uses libtorch's global
/// generator (see <see cref="ExactResumeTests"/>).
/// </summary>
[Collection(SerialCollection.Name)]
public class ToyMethodTests
{
    private static MethodCatalog Catalog() => MethodCatalog.WithBuiltIns().Register(new ToyMethod());

    [Fact]
    public void Catalogue_Registers_Lists_And_Refuses_Duplicates()
    {
        var catalog = Catalog();
        Assert.Equal(["fdsl-avsdb", "fdsl-dataset", "volf", "context", "doersch", "lwi", "swin-ssl", "toy-unflip"], catalog.All.Select(m => m.Name));
        Assert.IsType<ToyMethod>(catalog.Get("toy-unflip"));
        Assert.False(MethodCatalog.Default.TryGet("toy-unflip", out _)); // a host's registration stays its own
        var duplicate = Assert.Throws<ArgumentException>(() => catalog.Register(new ToyMethod()));
        Assert.Contains("'toy-unflip' is already registered", duplicate.Message);
        var unknown = Assert.Throws<KeyNotFoundException>(() => catalog.Get("no-such-method"));
        Assert.Contains("fdsl-avsdb, fdsl-dataset, volf, context, doersch, lwi, swin-ssl, toy-unflip", unknown.Message);
    }

    [Fact]
    public void Options_Come_From_Json_With_Record_Defaults_And_Unknown_Fields_Refused()
    {
        var method = Catalog().Get("toy-unflip");
        var o = (ToyOptions)method.ReadOptions(JsonDocument.Parse("""{"outputDir":"/tmp/x","steps":5}""").RootElement);
        Assert.Equal(new ToyOptions() with { OutputDir = "/tmp/x", Steps = 5 }, o);
        Assert.Throws<JsonException>(() => method.ReadOptions(JsonDocument.Parse("""{"outputDir":"/tmp/x","stepz":5}""").RootElement));
        Assert.Contains("ToyOptions.Steps must be 1–1000, got 0.", ((ToyOptions)method.CreateDefaultOptions() with { OutputDir = "o", Steps = 0 }).Problems());
    }

    [Fact]
    public void Toy_Method_Trains_Through_The_Shared_Loop_And_Resumes_Exactly()
    {
        using var tmp = new TempDirectory();
        var method = Catalog().Get("toy-unflip");
        const int steps = 8, stopAt = 4;

        var straightDir = tmp.File("straight");
        var straightReports = new List<TrainingProgress>();
        var straight = method.Prepare(Options(straightDir)).Train(new SyncProgress(straightReports.Add));
        Assert.Equal(RunStatus.Completed, straight.State);
        Assert.Equal(steps, straightReports.Count);
        foreach (var r in straightReports)
        {
            Assert.NotNull(r.Terms);
            Assert.Equal(["loss_rec", "loss_order"], r.Terms!.Keys);
            Assert.Equal(r.Terms["loss_rec"] + ToyObjective.OrderWeight * r.Terms["loss_order"], r.Loss, 1e-5);
        }

        // Interrupted after step 4 (checkpoint 3 exists; the interrupt writes 4), then a fresh Prepare resumes.
        var resumedDir = tmp.File("resumed");
        var reports = new List<TrainingProgress>();
        using var cts = new CancellationTokenSource();
        var first = method.Prepare(Options(resumedDir)).Train(new SyncProgress(p => { reports.Add(p); if (p.Step == stopAt) cts.Cancel(); }), cts.Token);
        Assert.Equal(RunStatus.Interrupted, first.State);
        Assert.True(File.Exists(Path.Combine(resumedDir, "checkpoints", "step-000000004", CheckpointStore.HeadsFile)));
        var second = method.Prepare(Options(resumedDir) with { Resume = true }).Train(new SyncProgress(reports.Add));
        Assert.Equal(RunStatus.Completed, second.State);

        Assert.Equal(straightReports.Select(r => r.Step), reports.Select(r => r.Step));
        for (int i = 0; i < steps; i++)
        {
            Assert.True(Bits(straightReports[i].Loss) == Bits(reports[i].Loss), $"step {i + 1}: loss {straightReports[i].Loss:R} vs resumed {reports[i].Loss:R}");
            foreach (var term in straightReports[i].Terms!.Keys)
                Assert.True(Bits(straightReports[i].Terms![term]) == Bits(reports[i].Terms![term]), $"step {i + 1}: {term} differs after resume");
        }
        foreach (var file in new[] { CheckpointStore.ModelFile, CheckpointStore.HeadsFile, CheckpointStore.OptimizerFile })
            Assert.Equal(Hash(straightDir, file), Hash(resumedDir, file));

        // Terms reach metrics.csv (one column each) and metrics.jsonl; each step once after the resume.
        var csv = File.ReadAllLines(Path.Combine(resumedDir, "metrics.csv"));
        Assert.EndsWith(",checkpoint,loss_rec,loss_order", csv[0]);
        Assert.Equal(Enumerable.Range(1, steps).Select(s => s.ToString()), csv.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(csv.Skip(1), l => Assert.Equal(csv[0].Split(',').Length, l.Split(',').Length));
        var rows = MetricsLog.ReadSteps(Path.Combine(resumedDir, "metrics.jsonl")).ToList();
        Assert.Equal(straightReports.Select(r => r.Terms!["loss_order"]), rows.Select(r => r.Terms!["loss_order"]));

        // model.safetensors is the backbone alone; the head lives in heads.bin.
        var weights = SafetensorsHeader.Read(Path.Combine(resumedDir, "checkpoints", "step-000000008", CheckpointStore.WeightsFile));
        using var backbone = new TinySegNet(3, 4);
        Assert.Equal(backbone.state_dict().Keys.Order(), weights.Entries.Select(e => e.Name).Order());
    }

    [Fact]
    public void Resuming_A_Headed_Method_From_A_Checkpoint_Without_Heads_Is_Refused()
    {
        using var tmp = new TempDirectory();
        var method = Catalog().Get("toy-unflip");
        var dir = tmp.File("run");
        method.Prepare(Options(dir) with { Steps = 3 }).Train();
        File.Delete(Path.Combine(dir, "checkpoints", "step-000000003", CheckpointStore.HeadsFile));
        var e = Assert.Throws<TrainingException>(() => method.Prepare(Options(dir) with { Steps = 3, Resume = true }).Train());
        Assert.Contains("has no heads.bin", e.Message);
    }

    private static ToyOptions Options(string dir) => new() { OutputDir = dir, Steps = 8, CheckpointEvery = 3 };

    private static long Bits(double v) => BitConverter.DoubleToInt64Bits(v);

    private static string Hash(string run, string file) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(run, "checkpoints", "step-000000008", file))));
}

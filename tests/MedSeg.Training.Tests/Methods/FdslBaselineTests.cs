using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using Xunit.Abstractions;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Methods;

/// <summary>
/// The method seam must not change an FDSL run. tests/fixtures/fdsl-baseline/ holds the fingerprint of a seeded 20-step
/// run (tiny BasicUNet, on-the-fly AVS-DB, CPU, one torch thread) produced by the code BEFORE the loop learnt
/// <see cref="MedSeg.Training.Methods.IMethodObjective"/> (commit fa03207): every step's loss, learning rate and epoch,
/// the validation Dice, the metrics.jsonl step rows, each checkpoint's state.json and the config, plus the final weights.
/// libtorch picks its kernels by the CPU's vector unit (AVX-512, AVX2, none), and different kernels round differently:
/// losses agree to ~3e-6 across CPUs and weights to ~1e-4, so numbers are compared within
/// <see cref="BaselineComparison"/>'s tolerances and everything else exactly. Set MEDSEG_BASELINE_OUT=folder to write
/// this machine's fingerprint and weights there.
/// </summary>
[Collection(SerialCollection.Name)]
public class FdslBaselineTests(ITestOutputHelper output)
{
    [Fact]
    public void Seeded_20_Step_Run_Matches_The_Code_Before_The_Method_Seam()
    {
        using var tmp = new TempDirectory();
        var dir = tmp.File("run");
        var result = FdslRunFactory.FromSpec(Options(dir), Spec()).Run();
        Assert.Equal(RunStatus.Completed, result.State);

        var actual = Fingerprint(dir);
        var weights = Path.Combine(dir, "checkpoints", "step-000000020", "model.safetensors");
        if (Environment.GetEnvironmentVariable("MEDSEG_BASELINE_OUT") is { Length: > 0 } outDir)
        {
            Directory.CreateDirectory(outDir);
            File.WriteAllLines(Path.Combine(outDir, "fingerprint.txt"), actual);
            File.Copy(weights, Path.Combine(outDir, "step-000000020.safetensors"), overwrite: true);
        }

        var fixtures = Path.Combine(RepositoryRoot.Path, "tests", "fixtures", "fdsl-baseline");
        var lineProblems = BaselineComparison.Lines(File.ReadAllLines(Path.Combine(fixtures, "fingerprint.txt")), actual);
        var weightReport = BaselineComparison.Weights(Path.Combine(fixtures, "step-000000020.safetensors"), weights);
        foreach (var problem in lineProblems) output.WriteLine(problem);
        output.WriteLine(weightReport.Summary);
        Assert.Empty(lineProblems);
        Assert.True(weightReport.WithinTolerance, weightReport.Summary);

        // best/ is the step-10 checkpoint saved twice: the same bytes on any CPU.
        foreach (var file in new[] { "model.bin", "optimizer.bin", "model.safetensors" })
            Assert.Equal(
                SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "checkpoints", "best", file))),
                SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "checkpoints", "step-000000010", file))));
    }

    internal static FdslOptions Options(string dir) => new()
    {
        OutputDir = dir,
        Model = "BasicUNet",
        ModelArgs = { ["features"] = "(4, 4, 8, 8, 16, 4)" },
        Crop = 16,
        BatchSize = 2,
        LearningRate = 3e-3,
        Samples = 16,
        Steps = 20,
        WarmupSteps = 4,
        Device = "cpu",
        TorchThreads = 1,
        CheckpointEvery = 10,
        ValidationEvery = 10,
        ValidationSamples = 2,
        KeepLast = 3,
        Seed = 11,
        // The recipe the fingerprint was recorded under; the defaults became monai-xyz, unit inputs and no clipping since.
        AxisOrder = MedSeg.Training.Layout.AxisOrder.Zyx,
        InputIntensity = MedSeg.Training.Fdsl.InputIntensity.Raw,
        MaxGradNorm = 1.0,
    };

    internal static AvsDbSpec Spec()
    {
        var paper = AvsDbSpec.PaperBest(24);
        return paper with { Xy = paper.Xy with { VertexCounts = [0, 4] }, ZClasses = [paper.ZClasses[0]] };
    }

    /// <summary>Everything of the run folder that must not change, one line per fact; timings and clocks left out.</summary>
    internal static List<string> Fingerprint(string dir)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>();
        var csv = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        lines.Add("csv " + csv[0]);
        foreach (var row in csv.Skip(1))
        {
            var f = row.Split(',');
            // step, epoch, loss, lr, (3 timing columns), val_mean_dice, checkpoint
            lines.Add($"csv {f[0]} {f[1]} {f[2]} {f[3]} {f[7]} {Path.GetFileName(f[8].Trim('"'))}");
        }
        foreach (var row in File.ReadAllLines(Path.Combine(dir, "metrics.jsonl")))
        {
            using var doc = JsonDocument.Parse(row);
            var r = doc.RootElement;
            var keys = string.Join("|", r.EnumerateObject().Select(p => p.Name));
            var dice = r.GetProperty("validationDice");
            lines.Add($"jsonl {r.GetProperty("step").GetInt64()} {r.GetProperty("loss").GetDouble().ToString("R", c)} "
                + $"{r.GetProperty("learningRate").GetDouble().ToString("R", c)} {dice.GetRawText()} {Path.GetFileName(r.GetProperty("checkpointPath").GetString() ?? "-")} keys {keys}");
        }
        foreach (var checkpoint in Directory.GetDirectories(Path.Combine(dir, "checkpoints")).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(checkpoint);
            // Weights are compared apart, within a tolerance: their bytes differ between CPUs.
            using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint, "state.json")));
            lines.Add($"{name}/state.json " + string.Join(" ", state.RootElement.EnumerateObject()
                .Where(p => p.Name is not ("createdUtc" or "torchRngState"))
                .Select(p => $"{p.Name}={p.Value.GetRawText()}")));
        }
        // "compute" describes the machine (which libtorch, which GPU), not the run, so it stays out of the fingerprint.
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
        config.Remove("compute");
        lines.Add("config " + config.ToJsonString().Replace(JsonSerializer.Serialize(dir).Trim('"'), "<run>"));
        var status = new RunFolder(dir).ReadStatus()!;
        lines.Add($"status {status.State} {status.Step}/{status.TotalSteps} {Path.GetFileName(status.LastCheckpoint)} {status.Error}");
        return lines;
    }
}

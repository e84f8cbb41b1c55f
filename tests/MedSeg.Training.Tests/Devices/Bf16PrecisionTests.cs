using MedSeg.Testing;
using System.Text.Json;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Devices;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using Xunit.Abstractions;

namespace MedSeg.Training.Tests.Devices;

/// <summary>
/// bf16 mixed precision on the CPU: 50 steps of the tiny run from the same seed and data in fp32 and in bf16. Tolerance:
/// the per-step Dice losses differ by at most 0.01 and by at most 0.005 on average (measured: max 0.0015, mean 0.0004;
/// bf16 keeps 8 mantissa bits, ~2–3 significant digits per activation, and the fp32 master weights keep the two
/// trajectories together).
/// </summary>
public class Bf16PrecisionTests(ITestOutputHelper output)
{
    private const int Steps = 50;

    [Fact]
    public void Bf16_Loss_Tracks_Fp32_Over_50_Steps_With_Fp32_Master_Weights()
    {
        using var tmp = new TempDirectory();
        var fp32 = TestRuns.Options(tmp.File("fp32"), Steps);
        var bf16 = TestRuns.Options(tmp.File("bf16"), Steps);
        bf16.Precision = TrainingPrecision.Bf16;
        var a = TestRuns.Trainer(fp32).Run().Losses;
        var b = TestRuns.Trainer(bf16).Run().Losses;

        Assert.Equal(Steps, a.Count);
        Assert.Equal(Steps, b.Count);
        var diffs = a.Zip(b, (x, y) => Math.Abs(x - y)).ToList();
        output.WriteLine($"|bf16 − fp32| Dice loss over {Steps} steps: max {diffs.Max():F4}, mean {diffs.Average():F4}; "
                         + $"last-10 mean fp32 {a.TakeLast(10).Average():F4}, bf16 {b.TakeLast(10).Average():F4}");
        Assert.True(diffs.Max() <= 0.01, $"max |bf16 − fp32| loss {diffs.Max():F4} > 0.01");
        Assert.True(diffs.Average() <= 0.005, $"mean |bf16 − fp32| loss {diffs.Average():F4} > 0.005");
        Assert.True(diffs.Max() > 0, "bf16 gave bit-identical losses: the bf16 path did not run");
        Assert.True(b.TakeLast(10).Average() < b.Take(10).Average() - 0.05, "bf16 run did not learn");

        // The master network is fp32: checkpoints hold float32 weights, state.json and config.json say how it ran.
        var run = new RunFolder(bf16.OutputDir);
        var checkpoint = new CheckpointStore(run.CheckpointsDir).Latest()!;
        var state = CheckpointStore.ReadState(checkpoint);
        Assert.Equal("cpu", state.Device);
        Assert.Equal(TrainingPrecision.Bf16, state.Precision);
        var header = File.ReadAllBytes(Path.Combine(checkpoint, "model.safetensors"));
        var text = System.Text.Encoding.UTF8.GetString(header, 8, (int)BitConverter.ToInt64(header, 0));
        Assert.Contains("\"F32\"", text);
        Assert.DoesNotContain("\"BF16\"", text);
        using var config = JsonDocument.Parse(File.ReadAllText(run.ConfigPath));
        Assert.Equal("bf16", config.RootElement.GetProperty("compute").GetProperty("precision").GetString());
    }

    [Fact]
    public void Unknown_Precision_Is_Refused_Naming_The_Field()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), 3);
        o.Precision = "fp16";
        var problems = o.Problems();
        Assert.Contains(problems, p => p.Contains("Precision (--precision)") && p.Contains("fp16") && p.Contains("bf16"));
    }
}

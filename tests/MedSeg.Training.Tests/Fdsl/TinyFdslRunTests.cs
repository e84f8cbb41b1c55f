using MedSeg.Training.Progress;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Fdsl;

public class TinyFdslRunTests
{
    [Fact]
    public void Training_Lowers_Dice_Loss_And_Writes_Run_Folder()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 150);
        o.CheckpointEvery = 50;
        o.KeepLast = 2;
        o.ValidationEvery = 75;
        o.ValidationSamples = 3;
        var reports = new List<TrainingProgress>();
        var result = TestRuns.Trainer(o, val: new BlobSource(3, 24, TestRuns.Classes, seedOffset: 99))
            .Run(new SyncProgress(reports.Add));

        double first = result.Losses.Take(20).Average(), last = result.Losses.TakeLast(20).Average();
        Assert.True(last < first - 0.1, $"Dice loss did not drop clearly: first-20 mean {first:F4}, last-20 mean {last:F4}");

        Assert.Equal(150, reports.Count);
        Assert.All(reports, r => Assert.InRange(r.DataWaitFraction, 0, 1));
        Assert.True(reports[^1].MemoryBytes > 0);
        Assert.Equal(TimeSpan.Zero, reports[^1].Eta);
        var validated = reports.Where(r => r.ValidationDice is not null).ToList();
        Assert.Equal(new long[] { 75, 150 }, validated.Select(r => r.Step));
        Assert.Equal(TestRuns.Classes, validated[0].ValidationDice!.Count);
        Assert.Contains(reports, r => r.CheckpointPath is not null && r.Step == 100);

        var run = new RunFolder(o.OutputDir);
        Assert.Equal(RunStatus.Completed, run.ReadStatus()!.State);
        Assert.True(File.Exists(run.ConfigPath) && File.Exists(run.LogPath));
        Assert.Equal(151, File.ReadAllLines(run.MetricsCsvPath).Length);
        Assert.Equal(150, File.ReadAllLines(run.MetricsJsonlPath).Length);
        // keep-last 2: steps 100 and 150 remain, plus best/.
        var kept = Directory.GetDirectories(run.CheckpointsDir).Select(Path.GetFileName).OrderBy(n => n).ToArray();
        Assert.Equal(new[] { "best", "step-000000100", "step-000000150" }, kept);
    }
}

using MedSeg.Training.Fdsl;
using MedSeg.Training.Progress;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Loop;

/// <summary>
/// Interrupt + resume must reproduce the uninterrupted run bit for bit (CPU, one torch thread). Serial: the seeded weight
/// init draws from libtorch's process-wide generator (TorchSharp's module constructors take no generator); the library
/// builds under one lock (GlobalTorchRandom), but tests running beside it construct modules outside that lock.
/// (Dropout/stochastic depth use a per-run generator: see Randomness/RunGeneratorResumeTests, which runs in parallel.)
/// </summary>
[Collection(SerialCollection.Name)]
public class ExactResumeTests
{
    private sealed class Inline(Action<TrainingProgress> a) : IProgress<TrainingProgress> { public void Report(TrainingProgress p) => a(p); }

    [Fact]
    public void Interrupted_And_Resumed_Run_Reproduces_Losses_Bitwise()
    {
        const int k = 12;
        using var tmp = new TempDirectory();

        var straight = Options(tmp.File("straight"));
        var full = TestRuns.Trainer(straight).Run();
        Assert.Equal(2 * k, full.Losses.Count);

        // Run B: same schedule, cancelled after K steps (writes an interrupt checkpoint), then a new trainer resumes.
        var interrupted = Options(tmp.File("resumed"));
        using var cts = new CancellationTokenSource();
        var first = TestRuns.Trainer(interrupted).Run(new Inline(p => { if (p.Step == k) cts.Cancel(); }), cts.Token);
        Assert.Equal(RunStatus.Interrupted, first.State);
        Assert.Equal(k, first.CompletedSteps);
        Assert.Equal(RunStatus.Interrupted, new RunFolder(interrupted.OutputDir).ReadStatus()!.State);

        var resumedOptions = Options(tmp.File("resumed"));
        resumedOptions.Resume = true;
        var second = TestRuns.Trainer(resumedOptions).Run();
        Assert.Equal(RunStatus.Completed, second.State);

        var combined = first.Losses.Concat(second.Losses).ToArray();
        Assert.Equal(full.Losses.Count, combined.Length);
        for (int i = 0; i < combined.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(full.Losses[i]) == BitConverter.DoubleToInt64Bits(combined[i]),
                $"step {i + 1}: uninterrupted {full.Losses[i]:R} vs resumed {combined[i]:R}");

        // The resumed run folder has each step exactly once.
        var steps = File.ReadAllLines(Path.Combine(interrupted.OutputDir, "metrics.csv")).Skip(1).Select(l => long.Parse(l.Split(',')[0])).ToArray();
        Assert.Equal(Enumerable.Range(1, 2 * k).Select(i => (long)i), steps);

        // The log tail is shown to every lab member: checkpoint paths are relative to the run folder, never the server's.
        var log = File.ReadAllText(Path.Combine(interrupted.OutputDir, "log.txt"));
        Assert.Contains($"interrupted at step {k}; checkpoint 'checkpoints/step-0000000{k}'", log);
        Assert.Contains($"resumed from 'checkpoints/step-0000000{k}' at step {k}", log);
        Assert.DoesNotContain(tmp.Path, log);
    }

    private static FdslOptions Options(string dir)
    {
        var o = TestRuns.Options(dir, steps: 24);
        o.TorchThreads = 1;
        o.CheckpointEvery = 5;
        return o;
    }
}

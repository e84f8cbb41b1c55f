using MedSeg.Training.Checkpoints;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Randomness;

/// <summary>
/// A model with dropout and stochastic depth resumes bit for bit, while another thread keeps drawing from libtorch's
/// process-wide generator: dropout masks come from the run's own generator, saved in each checkpoint. Not in the
/// serial collection — the network's init uses no random numbers, so nothing here depends on the global generator.
/// </summary>
public class RunGeneratorResumeTests
{
    private const int Classes = 3;

    [Fact]
    public void Dropout_Run_Resumes_Bitwise_Beside_Global_Random_Draws()
    {
        using var tmp = new TempDirectory();
        using var noise = new GlobalNoise();
        var straight = Trainer(Options(tmp.File("straight"))).Run();
        Assert.Equal(16, straight.Losses.Count);

        var o = Options(tmp.File("resumed"));
        using var cts = new CancellationTokenSource();
        var first = Trainer(o).Run(new SyncProgress(p => { if (p.Step == 7) cts.Cancel(); }), cts.Token);
        Assert.Equal(RunStatus.Interrupted, first.State);
        Assert.NotNull(CheckpointStore.ReadState(first.LastCheckpoint!).RunRngState);
        var resumed = Options(tmp.File("resumed"));
        resumed.Resume = true;
        var second = Trainer(resumed).Run();
        Assert.Equal(RunStatus.Completed, second.State);

        var combined = first.Losses.Concat(second.Losses).ToArray();
        Assert.Equal(straight.Losses.Count, combined.Length);
        for (int i = 0; i < combined.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(straight.Losses[i]) == BitConverter.DoubleToInt64Bits(combined[i]),
                $"step {i + 1}: uninterrupted {straight.Losses[i]:R} vs resumed {combined[i]:R}");
        Assert.True(noise.Draws > 0, "the noise thread never drew");
    }

    private static FdslOptions Options(string dir)
    {
        var o = TestRuns.Options(dir, steps: 16);
        // No --threads: torch's thread count is process-wide, and setting it here would slow every test running beside
        // this one. Bit-exactness needs only a count that stays put, which no test of the parallel phase changes.
        o.TorchThreads = null;
        o.CheckpointEvery = 5;
        return o;
    }

    private static FdslTrainer Trainer(FdslOptions o) =>
        new(o, new BlobSource(16, 24, Classes), null,
            new ModelChoice("TinyDropoutNet", new Dictionary<string, string> { ["out_channels"] = Classes.ToString() }),
            () => new TinyDropoutNet(Classes));

    /// <summary>Draws from the process-wide generator on a background thread until disposed.</summary>
    private sealed class GlobalNoise : IDisposable
    {
        private volatile bool _stop;
        private long _draws;
        private readonly Thread _thread;

        public GlobalNoise()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    using (TorchSharp.torch.rand(64)) { }
                    Interlocked.Increment(ref _draws);
                    Thread.Sleep(1);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public long Draws => Interlocked.Read(ref _draws);

        public void Dispose()
        {
            _stop = true;
            _thread.Join(TimeSpan.FromSeconds(30));
        }
    }
}

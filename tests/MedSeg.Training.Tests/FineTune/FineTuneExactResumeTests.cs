using MedSeg.Training.FineTune;
using MedSeg.Training.Progress;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.FineTune;

/// <summary>
/// Serial: the straight and the interrupted run must start from the same seeded BasicUNet, and that initialisation draws
/// from libtorch's process-wide generator (TorchSharp's module constructors take no generator), which tests running
/// beside it would also draw from outside the library's lock.
/// </summary>
[Collection(SerialCollection.Name)]
public class FineTuneExactResumeTests
{
    private sealed class Inline(Action<TrainingProgress> a) : IProgress<TrainingProgress> { public void Report(TrainingProgress p) => a(p); }

    [Fact]
    public void Interrupted_And_Resumed_Run_Reproduces_Losses_Bitwise()
    {
        using var tmp = new TempDirectory();
        var dataset = TinyPhantomDataset.Create(tmp.Path);
        var straight = new FineTuneTrainer(TinyPhantomDataset.Options(dataset, tmp.File("straight")).Build(steps: 6)).Run();

        var o = TinyPhantomDataset.Options(dataset, tmp.File("resumed")).Build(steps: 6);
        using var cts = new CancellationTokenSource();
        var first = new FineTuneTrainer(o).Run(new Inline(p => { if (p.Step == 2) cts.Cancel(); }), cts.Token);
        Assert.Equal(RunStatus.Interrupted, first.Training.State);
        Assert.Null(first.Evaluation);
        o.Resume = true;
        var second = new FineTuneTrainer(o).Run();
        Assert.Equal(RunStatus.Completed, second.Training.State);

        var combined = first.Training.Losses.Concat(second.Training.Losses).ToArray();
        Assert.Equal(straight.Training.Losses.Count, combined.Length);
        for (int i = 0; i < combined.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(straight.Training.Losses[i]) == BitConverter.DoubleToInt64Bits(combined[i]),
                $"step {i + 1}: uninterrupted {straight.Training.Losses[i]:R} vs resumed {combined[i]:R}");
        Assert.Equal(straight.Evaluation!.MeanDice, second.Evaluation!.MeanDice);
    }
}

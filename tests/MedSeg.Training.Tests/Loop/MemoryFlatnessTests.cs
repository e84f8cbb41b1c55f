using MedSeg.Training.Progress;
using MedSeg.Training.Tests.Support;
using Xunit.Abstractions;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Loop;

/// <summary>Runs alone: the working set is per process, so tests running beside it would blur the figure.</summary>
[Collection(SerialCollection.Name)]
public class MemoryFlatnessTests(ITestOutputHelper output)
{
    [Fact]
    public void Working_Set_Stays_Flat_Over_Thousands_Of_Steps()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 2000);
        o.CheckpointEvery = 500;
        o.KeepLast = 1;
        var memory = new Dictionary<long, long>();
        TestRuns.Trainer(o, width: 4).Run(new SyncProgress(p =>
        {
            if (p.Step is 200 or 2000) { GC.Collect(); GC.WaitForPendingFinalizers(); memory[p.Step] = MedSeg.Training.Optimization.MemoryProbe.WorkingSetBytes(); }
        }));
        // A leak of one step's tensors (inputs + activations ≈ 0.2 MB) over 1,800 steps would add > 300 MB.
        long growth = memory[2000] - memory[200];
        output.WriteLine($"working set: step 200 {memory[200] >> 20} MB, step 2000 {memory[2000] >> 20} MB");
        Assert.True(growth < 40L << 20, $"working set grew {growth / (1 << 20)} MB between step 200 ({memory[200] >> 20} MB) and 2000 ({memory[2000] >> 20} MB)");
    }
}

using MedSeg.Training.Estimates;
using MedSeg.Training.Fdsl;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Estimates;

/// <summary>The one random-data training step (run form's step-time probe, `bench train`, `bench train --memory`).</summary>
public class TrainingStepProbeTests
{
    private static readonly Dictionary<string, string> Tiny = new() { ["features"] = "(4, 4, 8, 8, 16, 4)" };

    [Fact]
    public void Step_CallsTheMemoryHookAfterBackward_AndMeasureGivesFigures()
    {
        var model = ModelChoice.For("BasicUNet", 0, 16, 2, Tiny);
        using (var probe = new TrainingStepProbe(model, [16, 16, 16], 1, 2, CPU))
        {
            Assert.True(probe.Parameters > 0);
            var called = 0;
            var loss = probe.Run(() => called++);
            Assert.Equal(1, called); // the memory hook runs once per step, after backward
            Assert.True(float.IsFinite(loss) && loss > 0, $"loss {loss}");
            Assert.True(probe.FlopsPerStep() > 0);
        }
        var result = TrainingStepProbe.Measure(model, 16, 1, 2, steps: 2, CPU);
        Assert.True(result.MsPerStep > 0);
        Assert.True(result.PeakWorkingSetBytes > 0);
        Assert.True(result.FlopsPerStep > 0);
        Assert.Null(result.GpuPeakBytes);
        Assert.True(double.IsNaN(TrainingStepProbe.Measure(model, 16, 1, 2, steps: 0, CPU).MsPerStep), "no timed step, no figure");
    }
}

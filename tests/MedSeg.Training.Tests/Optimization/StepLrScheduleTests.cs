using MedSeg.Training.Optimization;

namespace MedSeg.Training.Tests.Optimization;

/// <summary>PyTorch StepLR stepped once per iteration: lr(step) = base · γ^⌊step / step_size⌋.</summary>
public class StepLrScheduleTests
{
    [Fact]
    public void Rate_halves_every_step_size_steps_as_PyTorch_StepLR()
    {
        var s = new StepLrSchedule(1e-3, stepSize: 25, gamma: 0.5);
        Assert.Equal(1e-3, s.LearningRate(0), 15);
        Assert.Equal(1e-3, s.LearningRate(24), 15);     // last_epoch 24: still the base rate
        Assert.Equal(5e-4, s.LearningRate(25), 15);
        Assert.Equal(5e-4, s.LearningRate(49), 15);
        Assert.Equal(2.5e-4, s.LearningRate(50), 15);
        Assert.Equal(1e-3 * Math.Pow(0.5, 40), s.LearningRate(1000)); // 40 halvings, exactly
        Assert.Equal(1e-3, new StepLrSchedule(1e-3, 1, 1.0).LearningRate(12345), 15); // γ 1: constant
    }

    [Fact]
    public void Bad_settings_are_refused_naming_them()
    {
        Assert.Contains("step_size", Assert.Throws<ArgumentOutOfRangeException>(() => new StepLrSchedule(1e-3, 0, 0.5)).Message);
        Assert.Contains("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new StepLrSchedule(1e-3, 10, 0)).Message);
        Assert.Contains("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new StepLrSchedule(1e-3, 10, double.NaN)).Message);
    }
}

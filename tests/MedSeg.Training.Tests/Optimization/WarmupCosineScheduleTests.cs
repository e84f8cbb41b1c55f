using MedSeg.Training.Optimization;

namespace MedSeg.Training.Tests.Optimization;

public class WarmupCosineScheduleTests
{
    [Fact]
    public void Warmup_Then_Cosine_Hand_Computed()
    {
        var s = new WarmupCosineSchedule(baseLr: 1e-4, warmupSteps: 10, totalSteps: 110);
        Assert.Equal(0.0, s.LearningRate(0), 15);
        Assert.Equal(0.5e-4, s.LearningRate(5), 15);
        Assert.Equal(1e-4, s.LearningRate(10), 15);                       // progress 0 → cos 0 = 1
        Assert.Equal(0.5e-4, s.LearningRate(60), 15);                     // progress 0.5 → 0.5·(1 + cos π/2)
        Assert.Equal(1e-4 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)), s.LearningRate(35), 15);
        Assert.Equal(0.0, s.LearningRate(110), 15);                       // progress 1 → cos π = −1
    }

    [Fact]
    public void EndLr_Floors_After_Warmup_Only_And_Multiplier_Starts_Warmup()
    {
        var s = new WarmupCosineSchedule(1.0, warmupSteps: 4, totalSteps: 8, endLr: 0.3, warmupMultiplier: 0.2);
        Assert.Equal(0.2, s.LearningRate(0), 12);                   // warm-up is not floored
        Assert.Equal(0.2 + 0.8 * 0.5, s.LearningRate(2), 12);
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI * 0.5)), s.LearningRate(6), 12); // 0.5 > 0.3
        Assert.Equal(0.3, s.LearningRate(7), 12);                   // 0.146 → floored at end_lr
    }

    [Fact]
    public void Warmup_Is_Clamped_To_Total_And_Cycles_Apply()
    {
        var clamped = new WarmupCosineSchedule(1.0, warmupSteps: 50, totalSteps: 20);
        Assert.Equal(20, clamped.WarmupSteps);
        Assert.Equal(0.5, clamped.LearningRate(10), 12);
        var full = new WarmupCosineSchedule(1.0, 0, 100, cycles: 1.0);
        Assert.Equal(0.0, full.LearningRate(50), 12);               // cos(π·1·2·0.5) = −1
        Assert.Equal(1.0, full.LearningRate(100), 12);
        Assert.Throws<ArgumentException>(() => new WarmupCosineSchedule(1.0, 0, 10, warmupMultiplier: 1.5));
    }
}

namespace MedSeg.Training.Optimization;

/// <summary>
/// Linear warm-up then cosine decay, with MONAI's <c>WarmupCosineSchedule</c> semantics
/// (monai/optimizers/lr_scheduler.py). The learning rate is a pure function of the step index
/// (PyTorch's <c>last_epoch</c>: 0 before the first scheduler step), so resume needs only the step.
/// </summary>
public sealed class WarmupCosineSchedule : ILearningRateSchedule
{
    public WarmupCosineSchedule(double baseLr, int warmupSteps, int totalSteps, double endLr = 0.0, double cycles = 0.5, double warmupMultiplier = 0.0)
    {
        if (totalSteps <= 0) throw new ArgumentException($"WarmupCosineSchedule: t_total must be positive, got {totalSteps}.");
        if (warmupMultiplier < 0 || warmupMultiplier > 1)
            throw new ArgumentException($"WarmupCosineSchedule: warmup_multiplier must be in 0..1, got {warmupMultiplier}.");
        BaseLr = baseLr;
        WarmupSteps = Math.Min(Math.Max(warmupSteps, 0), totalSteps);
        TotalSteps = totalSteps;
        EndLr = endLr;
        Cycles = cycles;
        WarmupMultiplier = warmupMultiplier;
    }

    public double BaseLr { get; }
    public int WarmupSteps { get; }
    public int TotalSteps { get; }
    public double EndLr { get; }
    public double Cycles { get; }
    public double WarmupMultiplier { get; }

    /// <summary>The multiplier of the base rate at <paramref name="step"/> (MONAI's lr_lambda).</summary>
    public double Factor(long step)
    {
        if (step < WarmupSteps)
        {
            double f = step / Math.Max(1.0, WarmupSteps);
            return WarmupMultiplier + (1 - WarmupMultiplier) * f;
        }
        double progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        return Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * Cycles * 2.0 * progress)));
    }

    /// <summary>Learning rate used for optimizer step <paramref name="step"/> (0-based); floored at end_lr after warm-up.</summary>
    public double LearningRate(long step)
    {
        double lr = BaseLr * Factor(step);
        return step < WarmupSteps ? lr : Math.Max(EndLr, lr);
    }
}

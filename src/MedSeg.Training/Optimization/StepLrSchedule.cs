namespace MedSeg.Training.Optimization;

/// <summary>
/// PyTorch's <c>StepLR</c> (the MIS-FM / PyMIC preset): lr = base · γ^⌊step / step_size⌋, stepped once per iteration.
/// Its state_dict (last_epoch, base_lrs, step_size, gamma) is the step plus the recorded settings.
/// </summary>
public sealed class StepLrSchedule : ILearningRateSchedule
{
    public StepLrSchedule(double baseLr, int stepSize, double gamma)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "StepLR: step_size must be at least 1");
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "StepLR: gamma must be in (0, 1]");
        (BaseLr, StepSize, Gamma) = (baseLr, stepSize, gamma);
    }

    public double BaseLr { get; }
    public int StepSize { get; }
    public double Gamma { get; }

    public double LearningRate(long step) => BaseLr * Math.Pow(Gamma, step / StepSize);
}

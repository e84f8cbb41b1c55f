namespace MedSeg.Training.Optimization;

/// <summary>
/// A learning-rate schedule as a pure function of the 0-based optimiser step (PyTorch's <c>last_epoch</c>), so a checkpoint's
/// step is the whole scheduler state and resume continues exactly.
/// </summary>
public interface ILearningRateSchedule
{
    double LearningRate(long step);
}

namespace MedSeg.Training.Checkpoints;

/// <summary>
/// state.json of a checkpoint: everything besides tensors needed to continue exactly. The data pipeline
/// is a pure function of (seed, step), so its "RNG state" is the seed plus the step.
/// </summary>
public sealed record CheckpointState(
    long Step,
    string ModelSignature,
    int BatchSize,
    string Crop,
    long DataSeed,
    int TotalSteps,
    int WarmupSteps,
    string TorchRngState,
    double? BestMetric,
    long? BestStep,
    DateTime CreatedUtc,
    double? ValidationMeanDice = null);

namespace MedSeg.Training.Fdsl;

/// <summary>Outcome of <see cref="FdslTrainer.Run"/>: final state ("completed" | "interrupted"), steps and checkpoints.</summary>
public sealed record TrainingResult(
    string State,
    long CompletedSteps,
    long TotalSteps,
    string? LastCheckpoint,
    string? BestCheckpoint,
    double DataWaitFraction,
    IReadOnlyList<double> Losses);

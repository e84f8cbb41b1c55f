using System.Text.Json.Serialization;

namespace MedSeg.Training.Progress;

/// <summary>
/// One progress report, sent after every optimiser step. <see cref="Step"/> counts completed steps (1-based).
/// <see cref="ValidationDice"/> (per class, background first; null where the class never occurs in the
/// held-out labels) and <see cref="CheckpointPath"/> are set only on steps where they were produced.
/// <see cref="Terms"/> are the named parts of a multi-term loss (e.g. "loss_rec", "loss_order"); null when the loss has
/// one term, and then left out of metrics.jsonl, so single-term runs write the rows they always did.
/// </summary>
public sealed record TrainingProgress(
    long Step,
    long TotalSteps,
    double Epoch,
    double Loss,
    double LearningRate,
    double SamplesPerSecond,
    double DataWaitFraction,
    long MemoryBytes,
    TimeSpan? Eta,
    IReadOnlyList<double?>? ValidationDice = null,
    string? CheckpointPath = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Terms = null)
{
    /// <summary>Mean Dice over foreground classes present (null when not validated this step).</summary>
    public double? ValidationMeanDice => ValidationDice is null ? null : Metrics.MeanForeground(ValidationDice);
}

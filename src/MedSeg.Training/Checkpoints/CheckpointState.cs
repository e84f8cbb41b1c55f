namespace MedSeg.Training.Checkpoints;

/// <summary>
/// state.json of a checkpoint: everything besides tensors needed to continue exactly. The data pipeline
/// is a pure function of (seed, step), so its "RNG state" is the seed plus the step.
/// <see cref="AxisOrder"/> is null in checkpoints written before it was recorded (they are <see cref="Layout.AxisOrder.Zyx"/>).
/// <see cref="RunRngState"/> is the run's own generator (<see cref="Randomness.RunGenerator"/>: dropout, stochastic depth);
/// <see cref="TorchRngState"/> is the process-wide generator's state at save time, kept for older readers and no longer
/// restored (restoring it would disturb other runs in the process). <see cref="Device"/> and <see cref="Precision"/> record
/// where and how the steps up to this checkpoint ran (null in older checkpoints). <see cref="Optimizer"/> is
/// <see cref="Loop.LoopSettings.OptimizerRecord"/> (optimiser + schedule; absent for AdamW + warm-up cosine).
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
    double? ValidationMeanDice = null,
    Layout.AxisOrder? AxisOrder = null,
    string? RunRngState = null,
    string? Device = null,
    string? Precision = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    string? Optimizer = null)
{
    /// <summary>The order the checkpoint's model was trained with (old checkpoints: Zyx).</summary>
    public Layout.AxisOrder EffectiveAxisOrder => AxisOrder ?? Layout.AxisOrders.Legacy;
}

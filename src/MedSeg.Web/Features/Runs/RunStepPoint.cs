using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// One completed step as the pages, the hub and the metrics API see it (camelCase JSON).
/// </summary>
/// <param name="Step">Completed steps (1-based); unique per run.</param>
/// <param name="ValDice">Mean foreground validation Dice on validated steps, else null.</param>
/// <param name="ValDicePerClass">Per-class validation Dice (background first) on validated steps, else null.</param>
public sealed record RunStepPoint(
    long Step,
    DateTime At,
    double Loss,
    double Lr,
    double SamplesPerSecond,
    double DataWaitFraction,
    long MemoryBytes,
    double? ValDice = null,
    IReadOnlyList<double?>? ValDicePerClass = null)
{
    public static RunStepPoint FromRow(RunStepMetric m) =>
        new(m.Step, DateTime.SpecifyKind(m.At, DateTimeKind.Utc), m.Loss, m.Lr, m.SamplesPerSecond, m.DataWaitFraction, m.MemoryBytes, m.ValDice,
            m.ValDiceJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<double?[]>(m.ValDiceJson));

    public RunStepMetric ToRow(int runId) => new()
    {
        RunId = runId, Step = Step, At = At, Loss = Loss, Lr = Lr,
        SamplesPerSecond = (float)SamplesPerSecond, DataWaitFraction = (float)DataWaitFraction, MemoryBytes = MemoryBytes,
        ValDice = ValDice, ValDiceJson = ValDicePerClass is null ? null : System.Text.Json.JsonSerializer.Serialize(ValDicePerClass),
    };
}

using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// One completed step as the pages, the hub and the metrics API see it (camelCase JSON).
/// </summary>
/// <param name="Step">Completed steps (1-based); unique per run.</param>
/// <param name="ValDice">Mean foreground validation Dice on validated steps, else null.</param>
/// <param name="ValDicePerClass">Per-class validation Dice (background first) on validated steps, else null.</param>
/// <param name="Terms">The named parts of a multi-term loss (e.g. "loss_rec", "loss_order"); null for a one-term loss.</param>
public sealed record RunStepPoint(
    long Step,
    DateTime At,
    double Loss,
    double Lr,
    double SamplesPerSecond,
    double DataWaitFraction,
    long MemoryBytes,
    double? ValDice = null,
    IReadOnlyList<double?>? ValDicePerClass = null,
    IReadOnlyDictionary<string, double>? Terms = null)
{
    public static RunStepPoint FromRow(RunStepMetric m) =>
        new(m.Step, DateTime.SpecifyKind(m.At, DateTimeKind.Utc), m.Loss, m.Lr, m.SamplesPerSecond, m.DataWaitFraction, m.MemoryBytes, m.ValDice,
            m.ValDiceJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<double?[]>(m.ValDiceJson),
            m.TermsJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(m.TermsJson, TermsJson));

    public RunStepMetric ToRow(int runId) => new()
    {
        RunId = runId, Step = Step, At = At, Loss = Loss, Lr = Lr,
        SamplesPerSecond = (float)SamplesPerSecond, DataWaitFraction = (float)DataWaitFraction, MemoryBytes = MemoryBytes,
        ValDice = ValDice, ValDiceJson = ValDicePerClass is null ? null : System.Text.Json.JsonSerializer.Serialize(ValDicePerClass),
        TermsJson = Terms is not { Count: > 0 } ? null : System.Text.Json.JsonSerializer.Serialize(Terms, TermsJson),
    };

    /// <summary>A diverging term (NaN, ∞) is stored and sent as such, like the loss itself.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions TermsJson = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

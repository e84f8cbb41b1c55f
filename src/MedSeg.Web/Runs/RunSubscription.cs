using MedSeg.Data.Entities;

namespace MedSeg.Web.Runs;

/// <summary>
/// Answer of <c>RunsHub.Subscribe(runId, afterStep)</c> and of <c>GET /api/runs/{id}/metrics?after=N</c>: the run's
/// state now and every stored or buffered step after <c>afterStep</c>, in step order.
/// </summary>
public sealed record RunSubscription(
    int RunId,
    TrainingRunStatus Status,
    long CurrentStep,
    long TotalSteps,
    string? Checkpoint,
    string? Error,
    IReadOnlyList<RunStepPoint> Points)
{
    public static RunSubscription From(TrainingRun run, IReadOnlyList<RunStepPoint> points) =>
        new(run.Id, run.Status, run.CurrentStep, run.TotalSteps, run.LastCheckpointPath, run.ErrorText, points);
}

using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// Answer of <c>RunsHub.Subscribe(runId, afterStep)</c> and of <c>GET /api/runs/{id}/metrics?after=N</c>: the run's
/// state now, every stored or buffered step after <c>afterStep</c> in step order, and the last lines of its log.txt.
/// </summary>
public sealed record RunSubscription(
    int RunId,
    TrainingRunStatus Status,
    long CurrentStep,
    long TotalSteps,
    string? Checkpoint,
    string? Error,
    IReadOnlyList<RunStepPoint> Points,
    IReadOnlyList<string>? LogTail = null)
{
    public static RunSubscription From(TrainingRun run, IReadOnlyList<RunStepPoint> points, IReadOnlyList<string>? logTail = null) =>
        new(run.Id, run.Status, run.CurrentStep, run.TotalSteps, run.LastCheckpointPath, run.ErrorText, points, logTail);
}

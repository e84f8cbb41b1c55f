using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs.Cluster;

/// <summary>
/// The one way a Running cluster run ends (or goes back to the queue): clears the request and the worker token (the job's
/// worker is refused from now on), records the outcome through <see cref="RunLifecycle.Transition"/>, queues the runs waiting
/// for a completed one (<see cref="RunFollowUps"/>), and tells the pages.
/// </summary>
public static class ClusterRunEnd
{
    public static async Task SettleAsync(MedSegDbContext db, RunMetricsWriter writer, TrainingRun row, TrainingRunStatus status,
        string kind, string message, string? error = null)
    {
        var now = DateTime.UtcNow;
        row.RequestedAction = null;
        row.WorkerName = null;
        row.LeaseExpiresAt = null;
        row.WorkerTokenHash = null;
        row.ErrorText = status is TrainingRunStatus.Failed or TrainingRunStatus.Interrupted ? error ?? message : null;
        if (status is TrainingRunStatus.Completed or TrainingRunStatus.Failed or TrainingRunStatus.Cancelled) row.FinishedAt = now;
        if (status == TrainingRunStatus.Completed) row.FinalValDice ??= row.BestValDice;
        RunLifecycle.Transition(db, row, status, kind, message, row.CurrentStep, now);
        // A run waiting for this one (the fine-tune of "Initialise with LWI, then train") is queued, as for a local run.
        if (status == TrainingRunStatus.Completed) await RunFollowUps.QueueWaitingAsync(db, row, now, CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await writer.EndRunAsync(row);
    }
}

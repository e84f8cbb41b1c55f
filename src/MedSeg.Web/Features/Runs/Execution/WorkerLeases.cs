using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs.Execution;

/// <summary>
/// The lease side of a worker: the heartbeat that renews the lease of every run training here, pause / cancel requests
/// read from the rows, the take-over of runs whose worker stopped renewing, and the recovery at start-up. Several
/// processes can train from one database because a run is only ever finished by the worker its row names.
/// </summary>
internal sealed class WorkerLeases(
    IDbContextFactory<MedSegDbContext> dbFactory,
    TrainingQueue queue,
    RunProgressFeed feed,
    DataPaths paths,
    IOptions<TrainingOptions> options,
    ILogger logger)
{
    internal const string NoCheckpointError =
        "The server stopped while this run was training, before its first checkpoint; resume it to start again from step 0.";

    /// <summary>
    /// Every <see cref="TrainingOptions.ControlPollInterval"/>: pause / cancel requests on the rows of runs training here
    /// (made through another process, or while a run was claimed but not yet begun) stop their trainers.
    /// </summary>
    public async Task KeepAsync(CancellationToken stoppingToken)
    {
        var heartbeatEvery = options.Value.LeaseDuration / 3;
        var poll = options.Value.ControlPollInterval < heartbeatEvery ? options.Value.ControlPollInterval : heartbeatEvery;
        var nextHeartbeat = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(poll, stoppingToken);
                await ApplyControlRequestsAsync(stoppingToken);
                if (DateTime.UtcNow < nextHeartbeat) continue;
                nextHeartbeat = DateTime.UtcNow + heartbeatEvery;
                await HeartbeatAsync(stoppingToken);
                if (await RecoverExpiredLeasesAsync(stoppingToken) > 0) queue.Signal();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex) { logger.LogWarning(ex, "Reading run control requests failed; retrying"); }
        }
    }

    internal async Task ApplyControlRequestsAsync(CancellationToken ct)
    {
        var ids = queue.RunningIds;
        if (ids.Count == 0) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var requests = await db.TrainingRuns.AsNoTracking().Where(r => ids.Contains(r.Id) && r.RequestedAction != null)
            .Select(r => new { r.Id, r.RequestedAction }).ToListAsync(ct);
        foreach (var request in requests)
            queue.RequestStop(request.Id, request.RequestedAction == RunControlAction.Cancel ? RunStopReason.Cancel : RunStopReason.Pause);
    }

    /// <summary>
    /// Renews the lease of every run training here. A run whose row no longer names this worker was taken over by
    /// another one after this worker's lease lapsed (database unreachable, process frozen): its trainer is stopped and
    /// the row left alone.
    /// </summary>
    internal async Task HeartbeatAsync(CancellationToken ct)
    {
        var ids = queue.RunningIds;
        if (ids.Count == 0) return;
        var worker = options.Value.EffectiveWorkerName;
        var until = DateTime.UtcNow + options.Value.LeaseDuration;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ours = db.TrainingRuns.Where(r => ids.Contains(r.Id) && r.Status == TrainingRunStatus.Running && r.WorkerName == worker);
        await ours.ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, until), ct);
        var held = await ours.Select(r => r.Id).ToListAsync(ct);
        foreach (var lost in ids.Except(held).Where(id => queue.RunningIds.Contains(id)))
        {
            logger.LogError("Run {RunId} is no longer held by worker {Worker} (its lease lapsed and another worker took it over); stopping it here", lost, worker);
            queue.RequestStop(lost, RunStopReason.LeaseLost);
        }
    }

    /// <summary>
    /// Runs of OTHER workers whose lease has lapsed (the worker died): each is taken over atomically (so two live workers
    /// never both recover it) and recovered as after a restart. Returns how many.
    /// </summary>
    internal async Task<int> RecoverExpiredLeasesAsync(CancellationToken ct)
    {
        var worker = options.Value.EffectiveWorkerName;
        var now = DateTime.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var expired = await db.TrainingRuns.AsNoTracking()
            .Where(r => r.Status == TrainingRunStatus.Running && r.Backend == RunBackends.Local && r.WorkerName != null && r.WorkerName != worker && r.LeaseExpiresAt < now)
            .Select(r => new { r.Id, r.WorkerName }).ToListAsync(ct);
        var taken = new List<int>();
        foreach (var run in expired)
        {
            var until = DateTime.UtcNow + options.Value.LeaseDuration;
            var claimed = await db.TrainingRuns
                .Where(r => r.Id == run.Id && r.Status == TrainingRunStatus.Running && r.WorkerName == run.WorkerName && r.LeaseExpiresAt < now)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.WorkerName, worker).SetProperty(r => r.LeaseExpiresAt, until), ct);
            if (claimed != 1) continue; // another worker got there first
            logger.LogWarning("Run {RunId}: worker {Dead} stopped renewing its lease; taking it over", run.Id, run.WorkerName);
            taken.Add(run.Id);
        }
        if (taken.Count > 0) await RecoverRunsAsync(db, await db.TrainingRuns.Where(r => taken.Contains(r.Id)).ToListAsync(ct),
            ct, expired.ToDictionary(r => r.Id, r => r.WorkerName));
        return taken.Count;
    }

    /// <summary>
    /// At start-up: the runs this worker left Running (its own crash; also rows from before worker names were recorded),
    /// and those of other workers whose lease has lapsed. Runs of live workers are theirs.
    /// </summary>
    internal async Task RecoverAsync(CancellationToken ct)
    {
        var worker = options.Value.EffectiveWorkerName;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var own = await db.TrainingRuns.Where(r => r.Status == TrainingRunStatus.Running && r.Backend == RunBackends.Local && (r.WorkerName == null || r.WorkerName == worker))
                .ToListAsync(ct);
            await RecoverRunsAsync(db, own, ct, deadWorkers: null);
        }
        await RecoverExpiredLeasesAsync(ct);
    }

    /// <summary>
    /// Runs whose worker stopped: queued again from their checkpoint, or Interrupted without one; a pause or cancel
    /// requested before the stop is honoured (Paused at the checkpoint, Cancelled).
    /// </summary>
    private async Task RecoverRunsAsync(MedSegDbContext db, List<TrainingRun> orphans, CancellationToken ct, Dictionary<int, string?>? deadWorkers)
    {
        foreach (var run in orphans)
        {
            var stopped = deadWorkers?.GetValueOrDefault(run.Id) is string dead ? $"Worker '{dead}' stopped responding" : "Server restarted";
            run.WorkerName = null;
            run.LeaseExpiresAt = null;
            var (step, checkpoint) = RunCheckpoints.Latest(paths.RunDirectory(run));
            var now = DateTime.UtcNow;
            var requested = run.RequestedAction;
            run.RequestedAction = null;
            if (requested == RunControlAction.Cancel)
            {
                // Cancel asked before the stop: honoured, not trained again.
                run.FinishedAt = now;
                if (checkpoint is not null) (run.CurrentStep, run.LastCheckpointPath) = (step, checkpoint);
                else step = run.CurrentStep;
                RunLifecycle.Transition(db, run, TrainingRunStatus.Cancelled, RunEventKinds.Cancelled,
                    $"Cancelled at step {run.CurrentStep} (requested before the server stopped)", run.CurrentStep, now);
            }
            else if (requested == RunControlAction.Pause && checkpoint is not null)
            {
                run.CurrentStep = step;
                run.LastCheckpointPath = checkpoint;
                RunLifecycle.Transition(db, run, TrainingRunStatus.Paused, RunEventKinds.Paused,
                    $"Paused at checkpoint '{checkpoint}', step {step} (requested before the server stopped)", step, now);
            }
            else if (checkpoint is not null)
            {
                run.CurrentStep = step;
                run.LastCheckpointPath = checkpoint;
                RunLifecycle.Transition(db, run, TrainingRunStatus.Queued, RunEventKinds.ResumedAfterRestart,
                    $"{stopped}: resuming from checkpoint '{checkpoint}' at step {step}", step, now);
                logger.LogWarning("Run {RunId} was left running; resuming from step {Step}", run.Id, step);
            }
            else
            {
                run.ErrorText = NoCheckpointError;
                RunLifecycle.Transition(db, run, TrainingRunStatus.Interrupted, RunEventKinds.Interrupted, NoCheckpointError, run.CurrentStep, now);
                logger.LogWarning("Run {RunId} was left running without a checkpoint; marked Interrupted", run.Id);
            }
            await db.RunStepMetrics.Where(m => m.RunId == run.Id && m.Step > step).ExecuteDeleteAsync(ct);
        }
        await db.SaveChangesAsync(ct);
        // A page opened before this recovery still shows the stale Running state: tell it what the run is now.
        foreach (var run in orphans) await feed.PublishStatusAsync(run);
    }
}

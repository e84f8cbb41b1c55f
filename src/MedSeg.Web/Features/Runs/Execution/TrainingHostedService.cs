using MedSeg.Training.Methods;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Features.Runs.Execution;

/// <summary>
/// The co-hosted training service: the worker loop (claim, run, finish), control polling with the lease heartbeat, and
/// recovery; <see cref="RunLauncher"/> turns a claimed row into a trainer, <see cref="RunLifecycle"/> owns the status
/// changes. The queue is the <c>TrainingRuns</c> table (status Queued, by priority then position), so
/// it survives restarts. Up to <see cref="TrainingOptions.MaxConcurrentRuns"/> runs train at once, one per device slot, each
/// in its folder <c>runs/&lt;id&gt;</c> under the data root, always continuing from the newest checkpoint there.
/// At start-up every run left Running by a crash is queued again when it has a checkpoint (event "resumed-after-restart"),
/// or marked Interrupted when it has none: no run stays "running" without a trainer.
/// </summary>
public sealed class TrainingHostedService(
    IDbContextFactory<MedSegDbContext> dbFactory,
    TrainingQueue queue,
    RunProgressPublisher publisher,
    DataPaths paths,
    IOptions<TrainingOptions> options,
    IOptions<LimitsOptions> limits,
    ILogger<TrainingHostedService> logger,
    MethodCatalog? catalog = null) : BackgroundService
{
    // The host's catalogue (DI); a service built by hand trains the built-in methods.
    private readonly RunLauncher launcher = new(dbFactory, paths, options, limits, catalog ?? MethodCatalog.Default);

    private const string NoCheckpointError =
        "The server stopped while this run was training, before its first checkpoint; resume it to start again from step 0.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Training service disabled (Training:Enabled = false); queued runs wait for another server");
            return;
        }
        await RecoverAsync(stoppingToken);
        var control = Task.Run(() => PollControlRequestsAsync(stoppingToken), CancellationToken.None);
        var running = new Dictionary<int, Task>(); // slot -> run task
        string[]? slots = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var done in running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList()) running.Remove(done);
                if (await HasQueuedAsync(stoppingToken))
                {
                    // Devices are probed only once there is work: probing loads libtorch.
                    slots ??= DeviceSlots.Resolve(options.Value.MaxConcurrentRuns);
                    for (var slot = 0; slot < slots.Length; slot++)
                    {
                        if (running.ContainsKey(slot)) continue;
                        var run = await ClaimNextAsync(slots[slot], stoppingToken);
                        if (run is null) break;
                        running[slot] = RunAsync(run, slots[slot], stoppingToken);
                    }
                }
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var wait = queue.WaitAsync(options.Value.QueuePollInterval, wake.Token);
                await Task.WhenAny([wait, .. running.Values]);
                wake.Cancel(); // a finished run woke us: drop the pending wait so it does not eat a later signal
                try { await wait; } catch (OperationCanceledException) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A database hiccup must not end the service for the life of the process.
                logger.LogError(ex, "Training queue pass failed; retrying");
                try { await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken); } catch (OperationCanceledException) { break; }
            }
        }
        // Stopping: every trainer checkpoints at its next step and its run is queued again (see RunAsync).
        await Task.WhenAll(running.Values);
        await control;
    }

    /// <summary>
    /// Every <see cref="TrainingOptions.ControlPollInterval"/>: pause / cancel requests on the rows of runs training here
    /// (made through another process, or while a run was claimed but not yet begun) stop their trainers.
    /// </summary>
    private async Task PollControlRequestsAsync(CancellationToken stoppingToken)
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
            var (step, checkpoint) = LatestCheckpoint(paths.RunDirectory(run));
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
        foreach (var run in orphans) await publisher.PublishStatusAsync(run);
    }

    private async Task<bool> HasQueuedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TrainingRuns.AnyAsync(r => r.Status == TrainingRunStatus.Queued && r.Backend == RunBackends.Local, ct);
    }

    /// <summary>Takes the first queued run, flipping it to Running atomically so no other worker takes it too.</summary>
    private async Task<TrainingRun?> ClaimNextAsync(string device, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Runs of other backends (Slurm) are theirs to claim.
        var id = await TrainingRunService.QueueQuery(db).Where(r => r.Backend == RunBackends.Local).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
        if (id is null) return null;
        var now = DateTime.UtcNow;
        var (worker, lease) = (options.Value.EffectiveWorkerName, options.Value.LeaseDuration);
        var claimed = await RunLifecycle.ClaimAsync(db, id.Value, device, worker, now + lease, now, ct);
        return claimed ? await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == id, ct) : null;
    }

    private async Task RunAsync(TrainingRun run, string device, CancellationToken stoppingToken)
    {
        // Off the queue loop's context: building the trainer loads data and libtorch synchronously.
        await Task.Yield();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        queue.BeginRun(run.Id, cts);
        var folder = paths.RunDirectory(run);
        TrainingResult? result = null;
        string? error = null;
        StepReporter? reporter = null;
        long startStep = 0;
        try
        {
            var (step, checkpoint) = LatestCheckpoint(folder);
            startStep = step;
            await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
            {
                // Steps after the checkpoint are trained again: their old rows go, so each step has one row.
                await db.RunStepMetrics.Where(m => m.RunId == run.Id && m.Step > step).ExecuteDeleteAsync(CancellationToken.None);
                await BackfillStepsAsync(db, run.Id, folder, step);
                await db.TrainingRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CurrentStep, step), CancellationToken.None);
                db.RunEvents.Add(new RunEvent { RunId = run.Id, At = DateTime.UtcNow, Step = step,
                    Kind = checkpoint is null ? RunEventKinds.Started : RunEventKinds.Resumed,
                    Message = checkpoint is null ? $"Started on {device}" : $"Resumed from checkpoint '{checkpoint}' at step {step} on {device}" });
                await db.SaveChangesAsync(CancellationToken.None);
            }
            publisher.BeginRun(run.Id, step, run.TotalSteps, folder, checkpoint, run.BestValDice);
            await publisher.PublishStatusAsync(new TrainingRun
            {
                Id = run.Id, CurrentStep = step, TotalSteps = run.TotalSteps, LastCheckpointPath = checkpoint,
            }, TrainingRunStatus.Running);
            logger.LogInformation("Training run {RunId} on {Device} from step {Step}", run.Id, device, step);

            reporter = new StepReporter(publisher, run.Id, folder);
            result = await launcher.TrainAsync(run, folder, device, reporter, cts.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cts.IsCancellationRequested)
        {
            error = ex is TrainingException or ArgumentException or AvsDbSpecException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            logger.LogError(ex, "Training run {RunId} failed", run.Id);
        }
        catch (OperationCanceledException)
        {
            // Cancelled before the trainer started: no new checkpoint, the run stays where it was.
        }
        var reason = queue.EndRun(run.Id);
        if (reason == RunStopReason.None && stoppingToken.IsCancellationRequested) reason = RunStopReason.Shutdown;
        await FinishAsync(run, folder, startStep, result, error, reason, reporter?.LastValDice);
    }

    // Final bookkeeping uses CancellationToken.None: it must happen even while the host is stopping.
    private async Task FinishAsync(TrainingRun run, string folder, long startStep, TrainingResult? result, string? error,
        RunStopReason reason, double? lastValDice)
    {
        if (reason == RunStopReason.LeaseLost)
        {
            // The row, its steps and the status belong to the worker that took the run over.
            publisher.AbandonRun(run.Id);
            logger.LogWarning("Training run {RunId} stopped here at step {Step}: taken over by another worker", run.Id, result?.CompletedSteps ?? startStep);
            return;
        }
        await publisher.FlushAsync(run.Id);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var row = await db.TrainingRuns.SingleAsync(r => r.Id == run.Id, CancellationToken.None);
        // A request on the row not yet polled (made in another process) still decides the outcome: the trainer stopped
        // at a checkpoint anyway. A cancel overrides a pause; a pause overrides a plain shutdown.
        if (row.RequestedAction == RunControlAction.Cancel) reason = RunStopReason.Cancel;
        else if (row.RequestedAction == RunControlAction.Pause && reason is RunStopReason.None or RunStopReason.Shutdown) reason = RunStopReason.Pause;
        var now = DateTime.UtcNow;
        var completedSteps = result?.CompletedSteps;
        var (status, kind, message) = (result?.State, reason) switch
        {
            _ when error is not null => (TrainingRunStatus.Failed, RunEventKinds.Failed, error),
            (RunStatus.Completed, _) => (TrainingRunStatus.Completed, RunEventKinds.Completed, $"Completed {completedSteps} steps"),
            (_, RunStopReason.Pause) => (TrainingRunStatus.Paused, RunEventKinds.Paused, $"Paused at step {completedSteps ?? startStep}"),
            (_, RunStopReason.Cancel) => (TrainingRunStatus.Cancelled, RunEventKinds.Cancelled, $"Cancelled at step {completedSteps ?? startStep}"),
            _ => (TrainingRunStatus.Queued, RunEventKinds.Interrupted,
                $"Server stopping at step {completedSteps ?? startStep}; the run continues from its checkpoint at the next start"),
        };
        row.RequestedAction = null;
        row.WorkerName = null;
        row.LeaseExpiresAt = null;
        row.ErrorText = status == TrainingRunStatus.Failed ? error : null;
        if (completedSteps is long steps) row.CurrentStep = steps;
        if (result is not null)
        {
            row.TotalSteps = result.TotalSteps;
            row.LastCheckpointPath = StepReporter.Relative(folder, result.LastCheckpoint) ?? row.LastCheckpointPath;
            row.BestCheckpointPath = StepReporter.Relative(folder, result.BestCheckpoint) ?? row.BestCheckpointPath;
        }
        if (status == TrainingRunStatus.Completed) row.FinalValDice = lastValDice ?? row.BestValDice;
        if (status is TrainingRunStatus.Completed or TrainingRunStatus.Failed or TrainingRunStatus.Cancelled) row.FinishedAt = now;
        if (!RunLifecycle.IsAllowed(row.Status, status))
        {
            // Only a Running row is this worker's to finish; any other state was set by whoever took the run over.
            publisher.AbandonRun(run.Id);
            logger.LogWarning("Training run {RunId} ended here as {Status}, but its row is {RowStatus} (taken over meanwhile); left as it is", run.Id, status, row.Status);
            return;
        }
        RunLifecycle.Transition(db, row, status, kind, message, row.CurrentStep, now);
        await db.SaveChangesAsync(CancellationToken.None);
        await publisher.EndRunAsync(run.Id, status, status == TrainingRunStatus.Failed ? error : null);
        logger.LogInformation("Training run {RunId}: {Status} ({Message})", run.Id, status, message);
        if (status == TrainingRunStatus.Queued) queue.Signal();
    }

    /// <summary>
    /// Steps up to the checkpoint that the trainer logged in metrics.jsonl but the database never got (a process killed
    /// between a checkpoint and the next metrics flush): inserted from the run folder, so the history has no gap.
    /// </summary>
    internal static async Task BackfillStepsAsync(MedSegDbContext db, int runId, string folder, long checkpointStep)
    {
        if (checkpointStep == 0) return;
        var stored = (await db.RunStepMetrics.Where(m => m.RunId == runId && m.Step <= checkpointStep).Select(m => m.Step)
            .ToListAsync(CancellationToken.None)).ToHashSet();
        if (stored.Count == checkpointStep) return;
        var at = DateTime.UtcNow;
        var missing = MetricsLog.ReadSteps(Path.Combine(folder, "metrics.jsonl"))
            .Where(p => p.Step <= checkpointStep && stored.Add(p.Step))
            .Select(p => StepReporter.ToPoint(p, at).ToRow(runId));
        db.RunStepMetrics.AddRange(missing);
    }

    /// <summary>The newest complete step checkpoint in a run folder (relative path) and its step; (0, null) without one.</summary>
    internal static (long Step, string? Checkpoint) LatestCheckpoint(string runFolder)
    {
        var dir = Path.Combine(runFolder, "checkpoints");
        if (!Directory.Exists(dir)) return (0, null);
        var latest = new CheckpointStore(dir).List().LastOrDefault();
        return latest.Path is null ? (0, null) : (latest.Step, StepReporter.Relative(runFolder, latest.Path));
    }
}

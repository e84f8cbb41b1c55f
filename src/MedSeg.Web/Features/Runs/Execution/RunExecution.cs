using MedSeg.Core.Generators.AvsDb;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Runs;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs.Execution;

/// <summary>
/// One claimed run on this worker, from start to finish: drops the steps after its newest checkpoint, records that it
/// started or resumed, lets <see cref="RunLauncher"/> train it (the execution backend), and records how it ended through
/// <see cref="RunLifecycle"/>: completed, failed, paused, cancelled, or queued again when the server stops.
/// </summary>
internal sealed class RunExecution(
    IDbContextFactory<MedSegDbContext> dbFactory,
    TrainingQueue queue,
    RunLiveBuffer buffer,
    RunMetricsWriter writer,
    RunProgressFeed feed,
    DataPaths paths,
    RunLauncher launcher,
    ILogger logger)
{
    public async Task RunAsync(TrainingRun run, string device, CancellationToken stoppingToken)
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
            var (step, checkpoint) = RunCheckpoints.Latest(folder);
            startStep = step;
            await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
            {
                // Steps after the checkpoint are trained again: their old rows go, so each step has one row.
                await db.RunStepMetrics.Where(m => m.RunId == run.Id && m.Step > step).ExecuteDeleteAsync(CancellationToken.None);
                await BackfillStepsAsync(db, run.Id, folder, step);
                await db.TrainingRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CurrentStep, step), CancellationToken.None);
                RunLifecycle.Record(db, run.Id, checkpoint is null ? RunEventKinds.Started : RunEventKinds.Resumed,
                    checkpoint is null ? $"Started on {device}" : $"Resumed from checkpoint '{checkpoint}' at step {step} on {device}", step, DateTime.UtcNow);
                await db.SaveChangesAsync(CancellationToken.None);
            }
            buffer.BeginRun(run.Id, step, run.TotalSteps, folder, checkpoint, run.BestValDice);
            await feed.PublishStatusAsync(new TrainingRun
            {
                Id = run.Id, CurrentStep = step, TotalSteps = run.TotalSteps, LastCheckpointPath = checkpoint,
            }, TrainingRunStatus.Running);
            logger.LogInformation("Training run {RunId} on {Device} from step {Step}", run.Id, device, step);

            reporter = new StepReporter(buffer, run.Id, folder);
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
            buffer.AbandonRun(run.Id);
            logger.LogWarning("Training run {RunId} stopped here at step {Step}: taken over by another worker", run.Id, result?.CompletedSteps ?? startStep);
            return;
        }
        await writer.FlushAsync(run.Id);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var row = await db.TrainingRuns.SingleAsync(r => r.Id == run.Id, CancellationToken.None);
        // A request on the row not yet polled (made in another process) still decides the outcome: the trainer stopped
        // at a checkpoint anyway.
        reason = RunEnding.WithRequest(reason, row.RequestedAction);
        var now = DateTime.UtcNow;
        var completedSteps = result?.CompletedSteps;
        var stoppedAt = completedSteps ?? startStep;
        var (status, kind, message) = RunEnding.Of(error, result?.State == RunStatus.Completed, reason, stoppedAt,
            new(TrainingRunStatus.Queued, RunEventKinds.Interrupted, $"Server stopping at step {stoppedAt}; the run continues from its checkpoint at the next start"));
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
            buffer.AbandonRun(run.Id);
            logger.LogWarning("Training run {RunId} ended here as {Status}, but its row is {RowStatus} (taken over meanwhile); left as it is", run.Id, status, row.Status);
            return;
        }
        RunLifecycle.Transition(db, row, status, kind, message, row.CurrentStep, now);
        await db.SaveChangesAsync(CancellationToken.None);
        await writer.EndRunAsync(row);
        if (status == TrainingRunStatus.Completed && await RunFollowUps.QueueWaitingAsync(db, row, now, CancellationToken.None) > 0)
        {
            await db.SaveChangesAsync(CancellationToken.None);
            queue.Signal();
        }
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
}

using MedSeg.Core.Generators.AvsDb;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Worker;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Features.Downstream;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs.Cluster;

/// <summary>
/// The portal's side of a cluster worker (<c>medseg worker run</c>): its start (what to train, from which checkpoint),
/// its steps (into <see cref="RunLiveBuffer"/>, so the live page, SignalR, catch-up and leaderboard see them as
/// a local run's) and its end. Only a Running Slurm run whose token hash matches is served.
/// </summary>
public sealed class ClusterWorkerReports(IDbContextFactory<MedSegDbContext> dbFactory, RunLiveBuffer buffer, RunMetricsWriter writer, RunProgressFeed feed, DataPaths paths,
    RunLauncher launcher, ILogger<ClusterWorkerReports> logger, Tracking.RunSystemSamples? systemSamples = null)
{
    /// <summary>The run when <paramref name="token"/> is its current worker token and it is running on Slurm; else null (401).</summary>
    public async Task<TrainingRun?> AuthorizeAsync(int runId, string? token, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        return run is { Backend: RunBackends.Slurm, Status: TrainingRunStatus.Running } && WorkerTokens.Matches(run.WorkerTokenHash, token) ? run : null;
    }

    /// <summary>
    /// A worker begins (a new job, or a requeued one): steps after the newest checkpoint are dropped (trained again),
    /// the event says where, and the answer carries the options. A run that cannot be built fails here, with its reason.
    /// </summary>
    public async Task<WorkerLaunch?> StartAsync(TrainingRun run, WorkerStart start, CancellationToken ct)
    {
        var folder = paths.RunDirectory(run);
        ResolvedRun resolved;
        try { resolved = await launcher.ResolveAsync(run, folder, "auto"); }
        catch (Exception e) when (e is TrainingException or ArgumentException or AvsDbSpecException or IOException or InvalidDataException)
        {
            await using var failDb = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var row = await failDb.TrainingRuns.SingleAsync(r => r.Id == run.Id, CancellationToken.None);
            if (row.Status == TrainingRunStatus.Running)
                await ClusterRunEnd.SettleAsync(failDb, writer, row, TrainingRunStatus.Failed, RunEventKinds.Failed, e.Message);
            return null;
        }
        var (step, checkpoint) = RunCheckpoints.Latest(folder);
        var job = start.JobId ?? run.ClusterJobId;
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            await db.RunStepMetrics.Where(m => m.RunId == run.Id && m.Step > step).ExecuteDeleteAsync(CancellationToken.None);
            await RunExecution.BackfillStepsAsync(db, run.Id, folder, step);
            var device = Truncate($"{start.Device}@{start.Node}", 32);
            await db.TrainingRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.CurrentStep, step)
                .SetProperty(r => r.Device, device)
                .SetProperty(r => r.ClusterNode, start.Node)
                .SetProperty(r => r.ClusterJobId, r => r.ClusterJobId ?? job), CancellationToken.None);
            var where = $"on node {start.Node ?? "?"} (Slurm job {job ?? "?"}, device {start.Device})";
            RunLifecycle.Record(db, run.Id, checkpoint is null ? RunEventKinds.Started : RunEventKinds.Resumed,
                checkpoint is null ? $"Started {where}" : $"Resumed from checkpoint '{checkpoint}' at step {step} {where}", step, DateTime.UtcNow);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        buffer.BeginRun(run.Id, step, run.TotalSteps, folder, checkpoint, run.BestValDice);
        await feed.PublishStatusAsync(new TrainingRun { Id = run.Id, CurrentStep = step, TotalSteps = run.TotalSteps, LastCheckpointPath = checkpoint },
            TrainingRunStatus.Running);
        logger.LogInformation("Cluster run {RunId}: worker started on {Node} (job {Job}) from step {Step}", run.Id, start.Node, job, step);
        var options = resolved switch
        {
            { FineTune: { } fineTune } => FineTuneRunConfig.Write(fineTune),
            { MethodOptions: { } method } => method.ToJson(),
            _ => TrainingConfig.Serialize(resolved.Fdsl!),
        };
        return new WorkerLaunch(run.Id, run.Method, options, resolved.Spec is null ? null : run.SpecJson, folder, step,
            systemSamples?.Interval.TotalSeconds ?? 0);
    }

    /// <summary>
    /// Steps from the worker into the live buffer; a step already reported (a batch re-sent after a lost answer) is skipped.
    /// The newest process reading among them is kept as a system sample.
    /// A portal that restarted meanwhile begins tracking the run here, backfilling from metrics.jsonl what the old process
    /// never stored. The answer carries a pause or cancel asked on the row.
    /// </summary>
    public async Task<WorkerControl> StepsAsync(TrainingRun run, IReadOnlyList<WorkerStep> steps, CancellationToken ct)
    {
        if (steps.Count > 0 && buffer.TrackedStep(run.Id) is null) await RejoinAsync(run, steps[0].Step - 1);
        var newest = buffer.TrackedStep(run.Id) ?? long.MaxValue;
        var at = DateTime.UtcNow;
        foreach (var s in steps.Where(s => s.Step > newest).OrderBy(s => s.Step))
        {
            var point = new RunStepPoint(s.Step, at, s.Loss, s.LearningRate, s.SamplesPerSecond, s.DataWaitFraction, s.MemoryBytes,
                s.ValidationMeanDice, s.ValidationDice);
            buffer.Report(run.Id, point, s.TotalSteps, s.EtaSeconds, s.Checkpoint);
        }
        // The worker's process readings become the run's system samples, as a run on this server has them.
        if (systemSamples is not null && steps.LastOrDefault(s => s.System is not null) is { System: { } reading } sampled)
            await systemSamples.RecordAsync(run.Id, sampled.Step, at, reading.CpuPercent, reading.ResidentBytes, reading.GpuPercent, reading.GpuMemoryBytes);
        return new WorkerControl(run.RequestedAction switch
        {
            RunControlAction.Cancel => WorkerControl.Cancel,
            RunControlAction.Pause => WorkerControl.Pause,
            _ => null,
        });
    }

    private async Task RejoinAsync(TrainingRun run, long before)
    {
        var folder = paths.RunDirectory(run);
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            await db.RunStepMetrics.Where(m => m.RunId == run.Id && m.Step > before).ExecuteDeleteAsync(CancellationToken.None);
            await RunExecution.BackfillStepsAsync(db, run.Id, folder, before);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        buffer.BeginRun(run.Id, before, run.TotalSteps, folder, run.LastCheckpointPath, run.BestValDice);
        logger.LogInformation("Cluster run {RunId}: following its worker again from step {Step}", run.Id, before);
    }

    /// <summary>
    /// The worker's trainer ended. Completed and failed runs are settled here; a stop asked by the portal becomes Paused /
    /// Cancelled; a stop caused by Slurm (requeue, time limit, scancel from outside) leaves the run Running for
    /// <see cref="SlurmRunService"/>, which settles it from the job's final state.
    /// </summary>
    public async Task FinishAsync(TrainingRun run, WorkerFinish finish, CancellationToken ct)
    {
        await writer.FlushAsync(run.Id);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var row = await db.TrainingRuns.SingleAsync(r => r.Id == run.Id, CancellationToken.None);
        if (row.Status != TrainingRunStatus.Running) return;
        if (finish.CompletedSteps is long steps) row.CurrentStep = steps;
        if (finish.TotalSteps is long total) row.TotalSteps = total;
        row.LastCheckpointPath = finish.LastCheckpoint ?? row.LastCheckpointPath;
        row.BestCheckpointPath = finish.BestCheckpoint ?? row.BestCheckpointPath;
        var at = $"at step {row.CurrentStep}";
        var (status, kind, message) = RunEnding.Of(
            finish.Outcome == WorkerFinish.Failed ? finish.Error ?? $"The worker failed {at}" : null,
            finish.Outcome == WorkerFinish.Completed, RunEnding.WithRequest(RunStopReason.None, row.RequestedAction), row.CurrentStep,
            new(TrainingRunStatus.Running, RunEventKinds.JobState,
                $"The worker stopped {at} ({finish.StopCause ?? "no cause given"}); Slurm decides what follows (requeue, time limit, cancel)"),
            $" (Slurm job {row.ClusterJobId})");
        if (status == TrainingRunStatus.Completed) row.FinalValDice = finish.LastValDice ?? row.BestValDice;
        if (status == TrainingRunStatus.Running)
        {
            RunLifecycle.Record(db, row.Id, kind, message, row.CurrentStep, DateTime.UtcNow);
            await db.SaveChangesAsync(CancellationToken.None);
            buffer.AbandonRun(row.Id); // its steps are stored; a requeued job begins again
            return;
        }
        await ClusterRunEnd.SettleAsync(db, writer, row, status, kind, message, finish.Error);
        logger.LogInformation("Cluster run {RunId}: {Status} ({Message})", row.Id, status, message);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

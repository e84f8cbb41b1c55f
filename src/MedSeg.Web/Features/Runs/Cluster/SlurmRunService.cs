using System.Text.Json;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.Runs;
using MedSeg.Training.Worker;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs.Cluster;

/// <summary>
/// The Slurm backend's one hosted service (not one process per run). Every <see cref="SlurmOptions.PollInterval"/> it
/// (1) claims the Queued Slurm runs (<see cref="RunLifecycle.ClaimAsync"/>), writes each a fresh worker token and submits
/// its batch script — a refusal fails the run with Slurm's message; (2) reads every job's state with one <c>squeue</c>,
/// records state, reason and node on the run with an event per change, cancels pending jobs of runs asked to pause or
/// cancel, and settles a Running run whose job is over or forgotten by Slurm from the job's final state and the run
/// folder (status.json, checkpoints). Nothing is held in memory between passes, so a restarted portal simply carries on.
/// </summary>
public sealed class SlurmRunService(
    IDbContextFactory<MedSegDbContext> dbFactory,
    SlurmCli slurm,
    RunMetricsWriter writer,
    RunProgressFeed feed,
    DataPaths paths,
    IOptions<SlurmOptions> options,
    IOptions<TrainingOptions> training,
    IServer server,
    ILogger<SlurmRunService> logger) : BackgroundService
{
    /// <summary>The state recorded for a job squeue no longer lists (older than MinJobAge, or slurmctld's state lost).</summary>
    public const string Unlisted = "UNLISTED";

    private static readonly string[] Settled =
        ["COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED", "SPECIAL_EXIT", Unlisted];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!training.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await PassAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex) { logger.LogWarning(ex, "Slurm pass failed; retrying"); }
            try { await Task.Delay(options.Value.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    internal async Task PassAsync(CancellationToken ct)
    {
        await SubmitQueuedAsync(ct);
        await PollAsync(ct);
    }

    private async Task SubmitQueuedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await TrainingRunService.QueueQuery(db).Where(r => r.Backend == RunBackends.Slurm).Select(r => r.Id).Take(50).ToListAsync(ct);
        foreach (var id in ids)
        {
            if (!await RunLifecycle.ClaimAsync(db, id, "slurm", RunBackends.Slurm, null, DateTime.UtcNow, ct)) continue;
            await SubmitAsync(id);
        }
    }

    /// <summary>A claimed run gets a new token (file 0600 in the run folder, hash on the row) and its job.</summary>
    private async Task SubmitAsync(int id)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var row = await db.TrainingRuns.SingleAsync(r => r.Id == id, CancellationToken.None);
        var request = ClusterRequest.FromJson(row.ClusterRequestJson).WithDefaults(options.Value);
        string jobId;
        try
        {
            var folder = paths.RunDirectory(row);
            Directory.CreateDirectory(folder);
            var token = WorkerTokens.Create();
            WorkerTokens.WriteFile(Path.Combine(folder, WorkerProtocol.TokenFileName), token);
            // Saved before sbatch: the job may start (and present the token) before sbatch returns.
            row.WorkerTokenHash = WorkerTokens.Hash(token);
            (row.ClusterJobId, row.ClusterJobState, row.ClusterJobReason, row.ClusterNode) = (null, null, null, null);
            await db.SaveChangesAsync(CancellationToken.None);
            jobId = await slurm.SubmitAsync(SlurmBatchScript.Write(row.Id, folder, request, options.Value, PortalUrl()), CancellationToken.None);
        }
        catch (Exception e) when (e is SlurmException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            logger.LogWarning("Run {RunId}: submission failed: {Message}", id, e.Message);
            await ClusterRunEnd.SettleAsync(db, writer, row, TrainingRunStatus.Failed, RunEventKinds.Failed, $"Not submitted to Slurm: {e.Message}");
            return;
        }
        // The worker may already have recorded the id (and a state) from its environment: keep what it wrote.
        await db.Entry(row).ReloadAsync(CancellationToken.None);
        row.ClusterJobId ??= jobId;
        row.ClusterJobState ??= "PENDING";
        RunLifecycle.Record(db, id, RunEventKinds.Submitted, $"Submitted to Slurm as job {jobId} ({request})", row.CurrentStep, DateTime.UtcNow);
        await db.SaveChangesAsync(CancellationToken.None);
        await feed.PublishStatusAsync(row);
        logger.LogInformation("Run {RunId}: Slurm job {Job} ({Request})", id, jobId, request);
    }

    private async Task PollAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var watched = await db.TrainingRuns
            .Where(r => r.Backend == RunBackends.Slurm && r.ClusterJobId != null
                && (r.Status == TrainingRunStatus.Running || r.ClusterJobState == null || !Settled.Contains(r.ClusterJobState)))
            .ToListAsync(ct);
        if (watched.Count == 0) return;
        var jobs = (await slurm.JobsAsync(ct)).GroupBy(j => j.JobId).ToDictionary(g => g.Key, g => g.Last());
        foreach (var run in watched)
        {
            var job = jobs.GetValueOrDefault(run.ClusterJobId!);
            var (state, reason, node) = job is null ? (Unlisted, null, run.ClusterNode) : (job.State, job.Reason, job.Node ?? run.ClusterNode);
            var changed = state != run.ClusterJobState || reason != run.ClusterJobReason || node != run.ClusterNode;
            if (changed)
            {
                (run.ClusterJobState, run.ClusterJobReason, run.ClusterNode) = (state, reason, node);
                RunLifecycle.Record(db, run.Id, RunEventKinds.JobState, $"Slurm job {run.ClusterJobId}: {SlurmJob.Describe(state, reason, node)}",
                    run.CurrentStep, DateTime.UtcNow);
                await db.SaveChangesAsync(ct);
            }
            if (run.Status != TrainingRunStatus.Running) continue;
            if (job is null || SlurmJob.IsFinal(state)) await EndAsync(db, run, state, reason);
            else if (run.RequestedAction is not null && state == "PENDING") await CancelPendingAsync(run);
            else if (changed) await feed.PublishStatusAsync(run);
        }
    }

    /// <summary>A pause or cancel of a run whose job has not started: the job goes; the next pass settles the run.</summary>
    private async Task CancelPendingAsync(TrainingRun run)
    {
        try { await slurm.CancelAsync(run.ClusterJobId!, CancellationToken.None); }
        catch (SlurmException e) { logger.LogWarning("Run {RunId}: scancel of pending job failed: {Message}", run.Id, e.Message); }
    }

    /// <summary>
    /// The job is over (or Slurm forgot it) while the run is still Running here: the worker's report never came (the
    /// portal was down, the job failed at launch) or the worker stopped because of Slurm. Decided from the request on the
    /// row, the run folder's status.json and checkpoints, and the job's final state.
    /// </summary>
    private async Task EndAsync(MedSegDbContext db, TrainingRun row, string state, string? reason)
    {
        await writer.FlushAsync(row.Id);
        var folder = paths.RunDirectory(row);
        var (step, checkpoint) = RunCheckpoints.Latest(folder);
        var folderStatus = ReadStatus(folder);
        var job = $"Slurm job {row.ClusterJobId} {SlurmJob.Describe(state, reason, null)}";
        if (folderStatus is { State: RunStatus.Completed })
        {
            // The worker finished but its report was lost (portal down): the folder is the record.
            await RunExecution.BackfillStepsAsync(db, row.Id, folder, folderStatus.Step);
            row.CurrentStep = folderStatus.Step;
            row.TotalSteps = folderStatus.TotalSteps;
            row.LastCheckpointPath = checkpoint ?? row.LastCheckpointPath;
            await ClusterRunEnd.SettleAsync(db, writer, row, TrainingRunStatus.Completed, RunEventKinds.Completed,
                $"Completed {folderStatus.Step} steps (from the run folder: the worker's report did not reach the portal; {job})");
            return;
        }
        if (checkpoint is not null && step >= row.CurrentStep) (row.CurrentStep, row.LastCheckpointPath) = (step, checkpoint);
        var at = $"at step {row.CurrentStep}";
        var (status, kind, message) = (row.RequestedAction, state) switch
        {
            (RunControlAction.Cancel, _) => (TrainingRunStatus.Cancelled, RunEventKinds.Cancelled, $"Cancelled {at} ({job})"),
            (RunControlAction.Pause, _) => (TrainingRunStatus.Paused, RunEventKinds.Paused, $"Paused {at} ({job})"),
            (_, "CANCELLED") => (TrainingRunStatus.Cancelled, RunEventKinds.Cancelled, $"Cancelled outside the portal {at} ({job}, e.g. scancel)"),
            (_, "COMPLETED" or "TIMEOUT" or "PREEMPTED" or "NODE_FAIL" or Unlisted) when checkpoint is not null =>
                (TrainingRunStatus.Queued, RunEventKinds.Interrupted, $"{job} before the run finished: queued again, continuing from checkpoint '{checkpoint}' at step {step}"),
            (_, Unlisted) => (TrainingRunStatus.Interrupted, RunEventKinds.Interrupted, $"{job} before the first checkpoint; resume it to start again from step 0"),
            _ => (TrainingRunStatus.Failed, RunEventKinds.Failed, FailureMessage(row, job, state, reason, folderStatus)),
        };
        if (status == TrainingRunStatus.Queued)
            await db.RunStepMetrics.Where(m => m.RunId == row.Id && m.Step > step).ExecuteDeleteAsync(CancellationToken.None);
        await ClusterRunEnd.SettleAsync(db, writer, row, status, kind, message);
        logger.LogInformation("Run {RunId}: {Status} ({Message})", row.Id, status, message);
    }

    private static string FailureMessage(TrainingRun row, string job, string state, string? reason, RunStatus? folderStatus)
    {
        if (folderStatus is { State: RunStatus.Failed, Error: { } error }) return $"{error} ({job})";
        var hint = reason == "JobLaunchFailure"
            ? "Slurm could not launch it: is the run folder writable from the node, and the worker command installed there?"
            : $"see slurm-{row.ClusterJobId}.out in the run folder";
        return $"{job}: {hint}";
    }

    private static RunStatus? ReadStatus(string folder)
    {
        try { return new RunFolder(folder).ReadStatus(); }
        catch (Exception e) when (e is JsonException or IOException) { return null; }
    }

    /// <summary>Where the worker reaches the portal: <see cref="SlurmOptions.PortalUrl"/>, else the first address Kestrel listens on.</summary>
    private string PortalUrl()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.PortalUrl)) return options.Value.PortalUrl.TrimEnd('/');
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Slurm:PortalUrl is not set and the portal listens on no address the nodes could reach.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://[::]", "://localhost")
            .Replace("://0.0.0.0", "://localhost"));
        if (uri.Host == "localhost") uri.Host = Environment.MachineName;
        return uri.Uri.ToString().TrimEnd('/');
    }
}

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
/// Several portals on one database: only the holder of the <see cref="PollerLease"/> row submits and polls; another takes
/// over when the holder stops renewing it (it died).
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

    /// <summary>
    /// The marker on a claimed run whose <c>sbatch</c> has not answered yet: a portal that dies here finds the run at its
    /// next start (<see cref="ReconcileSubmittingAsync"/>) and asks Slurm for a job of the run's name before submitting again.
    /// </summary>
    public const string Submitting = "SUBMITTING";

    private static readonly string[] Settled =
        ["COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED", "SPECIAL_EXIT", Unlisted];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!training.Value.Enabled) return;
        var reconciled = false;
        bool? held = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One poller for all portals on this database: the lease holder; the others wait to take over.
                var holding = await HoldLeaseAsync(stoppingToken);
                if (holding != held) await LogLeaseAsync(holding, stoppingToken);
                held = holding;
                if (!holding) reconciled = false;
                else
                {
                    // Once per start or take-over: runs claimed but whose sbatch never answered (the portal died in between).
                    if (!reconciled) reconciled = await ReconcileSubmittingAsync(stoppingToken) >= 0;
                    await PassAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex) { logger.LogWarning(ex, "Slurm pass failed; retrying"); }
            try { await Task.Delay(options.Value.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
        if (held == true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await ServiceLeases.ReleaseAsync(db, PollerLease, ServiceLeases.ThisProcess, CancellationToken.None);
        }
    }

    /// <summary>The lease (<see cref="ServiceLeases"/>) whose holder is the one portal that submits and polls Slurm jobs.</summary>
    public const string PollerLease = "slurm-poller";

    /// <summary>
    /// How long the poller lease outlives its holder's last pass: <see cref="TrainingOptions.LeaseDuration"/> (as for local
    /// runs), at least three poll intervals.
    /// </summary>
    private TimeSpan LeaseDuration =>
        training.Value.LeaseDuration > 3 * options.Value.PollInterval ? training.Value.LeaseDuration : 3 * options.Value.PollInterval;

    private async Task<bool> HoldLeaseAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ServiceLeases.TryHoldAsync(db, PollerLease, ServiceLeases.ThisProcess, LeaseDuration, ct);
    }

    private async Task LogLeaseAsync(bool holding, CancellationToken ct)
    {
        if (holding)
        {
            logger.LogInformation("This portal polls Slurm now (lease {Lease} held by {Holder})", PollerLease, ServiceLeases.ThisProcess);
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        logger.LogInformation("Another portal polls Slurm (lease {Lease} held by {Holder}); this one takes over if it lapses",
            PollerLease, await ServiceLeases.HolderAsync(db, PollerLease, ct));
    }

    internal async Task PassAsync(CancellationToken ct)
    {
        await SubmitQueuedAsync(ct);
        await PollAsync(ct);
    }

    private async Task SubmitQueuedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // RunFolder empty: the run's row is being created (its folder is set by a second save); take it at the next pass.
        var ids = await TrainingRunService.QueueQuery(db).Where(r => r.Backend == RunBackends.Slurm && r.RunFolder != "")
            .Select(r => r.Id).Take(50).ToListAsync(ct);
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
            (row.ClusterJobId, row.ClusterJobState, row.ClusterJobReason, row.ClusterNode) = (null, Submitting, null, null);
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
        if (row.ClusterJobState is null or Submitting) row.ClusterJobState = "PENDING";
        RunLifecycle.Record(db, id, RunEventKinds.Submitted, $"Submitted to Slurm as job {jobId} ({request})", row.CurrentStep, DateTime.UtcNow);
        await db.SaveChangesAsync(CancellationToken.None);
        await feed.PublishStatusAsync(row);
        logger.LogInformation("Run {RunId}: Slurm job {Job} ({Request})", id, jobId, request);
    }

    /// <summary>
    /// Runs claimed for Slurm without a job id (the portal died between the claim and sbatch's answer): a job of the run's
    /// name and folder that Slurm lists is adopted (never submitted twice); a run folder holding a job's output (the job ran and Slurm
    /// forgot it) is settled from it by the next poll; else the run is submitted now. Returns how many runs it looked at.
    /// </summary>
    internal async Task<int> ReconcileSubmittingAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stranded = await db.TrainingRuns
            .Where(r => r.Backend == RunBackends.Slurm && r.Status == TrainingRunStatus.Running && r.ClusterJobId == null)
            .ToListAsync(ct);
        foreach (var run in stranded)
        {
            var name = SlurmBatchScript.JobName(run.Id);
            var folder = paths.RunDirectory(run);
            // Names repeat across portals sharing a cluster (each database counts runs from 1): only a job working in
            // this run's folder is this run's.
            var job = (await slurm.JobsAsync(ct, name)).Where(j => j.Name == name && j.WorksIn(folder)).MaxBy(j => long.TryParse(j.JobId, out var n) ? n : 0);
            var ranId = job is null ? OutputJobId(folder) : null;
            if (job is null && ranId is null)
            {
                logger.LogInformation("Run {RunId}: claimed but never submitted (the portal stopped before sbatch answered); submitting now", run.Id);
                await SubmitAsync(run.Id);
                continue;
            }
            (run.ClusterJobId, run.ClusterJobState, run.ClusterJobReason) = job is null ? (ranId, Unlisted, null) : (job.JobId, job.State, job.Reason);
            RunLifecycle.Record(db, run.Id, RunEventKinds.Submitted,
                $"Slurm job {run.ClusterJobId} ({name}) adopted: it was submitted before the portal stopped, while sbatch had not answered",
                run.CurrentStep, DateTime.UtcNow);
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Run {RunId}: adopted Slurm job {Job} found by its name", run.Id, run.ClusterJobId);
        }
        return stranded.Count;
    }

    /// <summary>The newest job id of a <c>slurm-ID.out</c> in the run folder (a job that ran), or null.</summary>
    private static string? OutputJobId(string folder) =>
        !Directory.Exists(folder) ? null : Directory.EnumerateFiles(folder, "slurm-*.out")
            .Select(f => Path.GetFileNameWithoutExtension(f)["slurm-".Length..])
            .Where(id => id.Length > 0 && id.All(char.IsAsciiDigit)).MaxBy(long.Parse);

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
            if (run.Status != TrainingRunStatus.Running)
            {
                revokedSeen.Remove(run.Id);
                continue;
            }
            if (job is null || SlurmJob.IsFinal(state)) await EndAsync(db, run, state, reason);
            else if (run.RequestedAction is not null && state == "PENDING") await CancelJobAsync(run, "pending job");
            else if (run.WorkerTokenHash is null && RevokedTooLongAgo(run.Id)) await CancelJobAsync(run, "job whose worker token was revoked");
            else if (changed) await feed.PublishStatusAsync(run);
        }
    }

    /// <summary>When this process first saw each Running run without a worker token (revoked), for <see cref="RevokedTooLongAgo"/>.</summary>
    private readonly Dictionary<int, DateTime> revokedSeen = [];

    /// <summary>How long a job whose token was revoked may take to checkpoint and stop before it is cancelled.</summary>
    public static readonly TimeSpan RevokedGrace = TimeSpan.FromMinutes(2);

    /// <summary>True once a revoked run's job has had <see cref="RevokedGrace"/> to stop by itself (a hung worker is not left running).</summary>
    private bool RevokedTooLongAgo(int runId)
    {
        var now = DateTime.UtcNow;
        if (!revokedSeen.TryGetValue(runId, out var since)) revokedSeen[runId] = since = now;
        return now - since > RevokedGrace;
    }

    /// <summary>A pause or cancel of a run whose job has not started, or a revoked one's: the job goes; the next pass settles the run.</summary>
    private async Task CancelJobAsync(TrainingRun run, string what)
    {
        try { await slurm.CancelAsync(run.ClusterJobId!, CancellationToken.None); }
        catch (SlurmException e) { logger.LogWarning("Run {RunId}: scancel of {What} failed: {Message}", run.Id, what, e.Message); }
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
        // Only a revoked token leaves a Running run with a job but no token hash (SubmitAsync saves it before sbatch).
        var at = $"at step {row.CurrentStep}{(row.WorkerTokenHash is null ? " after its worker token was revoked" : "")}";
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

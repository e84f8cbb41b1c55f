using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs.Live;
using MedSeg.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.Runs.Cluster;

/// <summary>
/// Revokes a running cluster run's worker token (a leaked token, a node that must stop reporting): the hash leaves the
/// row, so the worker's next report is refused with 401 and it stops at a checkpoint; the run is asked to pause, so when
/// its job ends the poller settles it as Paused (resumable with a fresh token), and a job still running two minutes later
/// is cancelled by the poller (<see cref="SlurmRunService"/>), so no job is left behind.
/// </summary>
public sealed class WorkerTokenRevocation(IDbContextFactory<MedSegDbContext> dbFactory, RunProgressFeed feed, AuditLog audit)
{
    /// <summary>False when the caller may not manage the run or it has no live worker token (not running on Slurm).</summary>
    public async Task<bool> RevokeAsync(PortalUser user, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (run is null || !user.CanManage(run)) return false;
        var revoked = await db.TrainingRuns
            .Where(r => r.Id == id && r.Backend == RunBackends.Slurm && r.Status == TrainingRunStatus.Running && r.WorkerTokenHash != null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.WorkerTokenHash, (string?)null)
                .SetProperty(r => r.RequestedAction, r => r.RequestedAction ?? RunControlAction.Pause), ct);
        if (revoked == 0) return false;
        RunLifecycle.Record(db, id, RunEventKinds.TokenRevoked,
            $"Worker token revoked by {user.Name}: the worker's reports are refused; it stops at a checkpoint and the run pauses (Slurm job {run.ClusterJobId ?? "?"})",
            run.CurrentStep, DateTime.UtcNow);
        await db.SaveChangesAsync(ct);
        audit.Record(user, "run.revoke-worker-token", $"run {id} '{run.Name}' (Slurm job {run.ClusterJobId})");
        await feed.PublishStatusAsync(run);
        return true;
    }
}

using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.Lists;

/// <summary>What the dashboard shows of the lab's runs, each list read with a LIMIT (and counted where it is cut).</summary>
public sealed record DashboardRuns(
    IReadOnlyList<TrainingRun> Active, int ActiveTotal,
    IReadOnlyList<TrainingRun> Queue, int QueueTotal,
    IReadOnlyList<TrainingRun> Recent,
    IReadOnlyCollection<int> ClusterRunIds,
    bool AnyRun);

/// <summary>
/// The dashboard's lists from the database: active runs (running or paused, oldest start first), the head of the queue in
/// start order, the newest finishes and failures — each a bounded query, so the dashboard costs the same at 10,000 runs —
/// and the ids of the lab's cluster runs (the Slurm panel lists only their jobs).
/// </summary>
public sealed class DashboardLists(IDbContextFactory<MedSegDbContext> dbFactory)
{
    /// <summary>Rows of the active list (the rest is counted: "and N more").</summary>
    public const int Shown = 50;

    /// <summary>
    /// Rows of the queue (the rest is counted): a screenful. Each row of the PI's view carries a priority field and two
    /// move buttons; fifty of them were most of the dashboard's HTML and of its first paint at 10,000 runs.
    /// </summary>
    public const int QueueShown = 20;

    public const int RecentCount = 8;

    public async Task<DashboardRuns> ReadAsync(PortalUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lab = db.TrainingRuns.AsNoTracking().Where(r => r.LabId == user.LabId);
        var activeRows = lab.Where(r => r.Status == TrainingRunStatus.Running || r.Status == TrainingRunStatus.Paused);
        var active = await activeRows.OrderBy(r => r.StartedAt).ThenBy(r => r.Id).Take(Shown).ToListAsync(ct);
        var activeTotal = active.Count < Shown ? active.Count : await activeRows.CountAsync(ct);
        var queue = await TrainingRunService.QueueQuery(db).Where(r => r.LabId == user.LabId).Take(QueueShown).Include(r => r.Owner).ToListAsync(ct);
        var queueTotal = queue.Count < QueueShown ? queue.Count : await lab.CountAsync(r => r.Status == TrainingRunStatus.Queued, ct);
        var recent = await RecentAsync(lab, ct);
        var cluster = await lab.Where(r => r.Backend == RunBackends.Slurm && r.ClusterJobId != null).OrderByDescending(r => r.Id).Take(Shown * 10)
            .Select(r => r.Id).ToListAsync(ct);
        var any = active.Count + queue.Count + recent.Count > 0 || await lab.AnyAsync(ct);
        return new(active, activeTotal, queue, queueTotal, recent, cluster.ToHashSet(), any);
    }

    /// <summary>
    /// The newest ends, by finish time (start time where none was stamped). Two index walks instead of one ORDER BY
    /// COALESCE(FinishedAt, CreatedAt), which no index serves and which sorted every finished run of the lab.
    /// </summary>
    private static async Task<List<TrainingRun>> RecentAsync(IQueryable<TrainingRun> lab, CancellationToken ct)
    {
        var ended = lab.Where(r => r.Status == TrainingRunStatus.Completed || r.Status == TrainingRunStatus.Failed
            || r.Status == TrainingRunStatus.Cancelled || r.Status == TrainingRunStatus.Interrupted);
        var stamped = await ended.Where(r => r.FinishedAt != null).OrderByDescending(r => r.FinishedAt).ThenByDescending(r => r.Id)
            .Take(RecentCount).ToListAsync(ct);
        var unstamped = await ended.Where(r => r.FinishedAt == null).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Take(RecentCount).ToListAsync(ct);
        return [.. stamped.Concat(unstamped).OrderByDescending(r => r.FinishedAt ?? r.CreatedAt).ThenByDescending(r => r.Id).Take(RecentCount)];
    }
}

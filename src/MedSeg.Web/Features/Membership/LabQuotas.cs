using System.Globalization;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Features.Downstream;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Features.Membership;

/// <summary>
/// Per-lab quotas (<see cref="LimitsOptions.QuotaFor"/>), checked where requests enter: queued runs when a run is
/// queued (create, clone, fine-tune), disk when a dataset, run or upload is added; runs training at once when the
/// training service picks its next run (<see cref="ClaimableQuery"/>: a lab at its quota waits, other labs go first).
/// Refusals name the quota, the lab's value and the limit with its setting.
/// </summary>
public sealed class LabQuotas(IDbContextFactory<MedSegDbContext> dbFactory, DataPaths paths, IOptions<LimitsOptions> limits)
{
    public LabQuota For(string labId) => limits.Value.QuotaFor(labId, paths.DataRoot);

    /// <summary>Why the lab may not queue one more run, or null when it may.</summary>
    public async Task<string?> QueuedRunRefusalAsync(string labId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var queued = await db.TrainingRuns.CountAsync(r => r.LabId == labId && r.Status == TrainingRunStatus.Queued, ct);
        var limit = For(labId).MaxQueuedRuns!.Value;
        return queued < limit ? null : string.Create(CultureInfo.InvariantCulture,
            $"QueuedRuns: lab '{labId}' has {queued} queued runs, the limit is {limit} ({Setting(labId, nameof(LabQuota.MaxQueuedRuns), nameof(LimitsOptions.MaxQueuedRunsPerLab))}); wait for some to start or cancel some.");
    }

    /// <summary>Why the lab may not add <paramref name="incomingBytes"/> more on disk, or null when it may.</summary>
    public async Task<string?> DiskRefusalAsync(string labId, long incomingBytes = 0, CancellationToken ct = default)
    {
        var used = await DiskUsageAsync(labId, ct);
        var limit = For(labId).MaxDiskBytes!.Value;
        if (used + Math.Max(0, incomingBytes) <= limit && used < limit) return null;
        var adding = incomingBytes > 0 ? $" and this adds {Components.Formatting.Bytes(incomingBytes)}" : "";
        return $"Disk: lab '{labId}' uses {Components.Formatting.Bytes(used)}{adding}, the limit is {Components.Formatting.Bytes(limit)} " +
            $"({Setting(labId, nameof(LabQuota.MaxDiskBytes), nameof(LimitsOptions.MaxDiskBytesPerLab))}); delete datasets or runs first.";
    }

    /// <summary>Bytes under the data root of the lab's datasets, run folders and downstream datasets.</summary>
    public async Task<long> DiskUsageAsync(string labId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var folders = new List<string>();
        folders.AddRange((await db.Datasets.AsNoTracking().Where(d => d.LabId == labId).ToListAsync(ct)).Select(paths.DatasetDirectory));
        folders.AddRange((await db.TrainingRuns.AsNoTracking().Where(r => r.LabId == labId && r.RunFolder != "").ToListAsync(ct)).Select(paths.RunDirectory));
        var downstream = new DownstreamDatasets(paths);
        folders.AddRange(downstream.List(labId).Select(d => downstream.Resolve(d, labId)!));
        return await Task.Run(() => folders.Distinct(StringComparer.Ordinal).Sum(f => MedSeg.Core.IO.FolderSize.Of(f, recursive: true)), ct);
    }

    /// <summary>
    /// Queued runs in start order (<see cref="Features.Runs.TrainingRunService.QueueQuery"/>) of labs below their quota of runs
    /// training at once; runs reported from elsewhere (External) use no slot here and do not count.
    /// </summary>
    public async Task<IQueryable<TrainingRun>> ClaimableQueryAsync(MedSegDbContext db, CancellationToken ct = default)
    {
        var running = await db.TrainingRuns.AsNoTracking()
            .Where(r => r.Status == TrainingRunStatus.Running && r.Method != TrainingMethods.External)
            .GroupBy(r => r.LabId).Select(g => new { Lab = g.Key, Count = g.Count() }).ToListAsync(ct);
        var full = running.Where(r => r.Count >= For(r.Lab).MaxRunningRuns!.Value).Select(r => r.Lab).ToList();
        return ClaimableQuery(db, full);
    }

    /// <summary>Queued runs in start order, without those of <paramref name="fullLabs"/>.</summary>
    public static IQueryable<TrainingRun> ClaimableQuery(MedSegDbContext db, IReadOnlyCollection<string> fullLabs) =>
        fullLabs.Count == 0 ? Features.Runs.TrainingRunService.QueueQuery(db) : Features.Runs.TrainingRunService.QueueQuery(db).Where(r => !fullLabs.Contains(r.LabId));

    private string Setting(string labId, string labKey, string defaultKey) =>
        limits.Value.Labs.TryGetValue(labId, out var own) && (labKey switch
        {
            nameof(LabQuota.MaxRunningRuns) => own.MaxRunningRuns is not null,
            nameof(LabQuota.MaxQueuedRuns) => own.MaxQueuedRuns is not null,
            _ => own.MaxDiskBytes is not null,
        }) ? $"Limits:Labs:{labId}:{labKey}" : $"Limits:{defaultKey}";
}

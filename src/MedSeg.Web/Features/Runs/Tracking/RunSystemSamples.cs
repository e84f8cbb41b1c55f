using System.Globalization;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Runs.Tracking;

/// <summary>One system sample as the page and the API show it (GPU fields null without a CUDA device).</summary>
public sealed record RunSystemPoint(long Id, DateTime At, long Step, double CpuPercent, long ResidentBytes, double? GpuPercent, long? GpuMemoryBytes);

/// <summary>
/// System metrics history per run: while a run trains on this server, <see cref="SampleAsync"/> stores the process's CPU
/// share and resident memory (and its CUDA device's utilisation and memory) every <c>Training:SystemSampleInterval</c>;
/// a cluster worker's readings arrive with its steps and <see cref="RecordAsync"/> keeps them at the same interval.
/// Rows stay bounded: at <c>Training:MaxSystemSamplesPerRun</c> every other row of the run is dropped and the interval
/// doubles, so a long run keeps its whole history at a coarser grain.
/// </summary>
public sealed class RunSystemSamples(IDbContextFactory<MedSegDbContext> dbFactory, DeviceMonitor monitor, IOptions<TrainingOptions> options,
    ILogger<RunSystemSamples> logger)
{
    /// <summary>How often a run is sampled (<c>Training:SystemSampleInterval</c>; zero or less: never).</summary>
    public TimeSpan Interval => options.Value.SystemSampleInterval;

    /// <summary>Samples of a run after sample <paramref name="afterId"/>, oldest first; null when the user may not read the run.</summary>
    public async Task<IReadOnlyList<RunSystemPoint>?> ListAsync(PortalUser user, int runId, long afterId = 0, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null || !user.CanRead(run)) return null;
        return await db.RunSystemSamples.AsNoTracking().Where(s => s.RunId == runId && s.Id > afterId).OrderBy(s => s.At).ThenBy(s => s.Id)
            .Select(s => new RunSystemPoint(s.Id, s.At, s.Step, s.CpuPercent, s.ResidentBytes, s.GpuPercent, s.GpuMemoryBytes))
            .ToListAsync(ct);
    }

    /// <summary>Samples run <paramref name="runId"/> until <paramref name="ct"/> ends (the run stopped). Never throws.</summary>
    public async Task SampleAsync(int runId, string device, Func<long> step, CancellationToken ct)
    {
        var interval = options.Value.SystemSampleInterval;
        var max = Math.Max(2, options.Value.MaxSystemSamplesPerRun);
        if (interval <= TimeSpan.Zero) return;
        var gpu = CudaIndex(device);
        try
        {
            int stored;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
                stored = await db.RunSystemSamples.CountAsync(s => s.RunId == runId, ct);
            for (var i = stored; i >= max; i /= 2) interval *= 2; // a resumed run continues at the grain it had reached
            monitor.Read(); // the CPU share is measured between two readings: start the first window now
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(interval, ct);
                var usage = monitor.Read();
                var card = gpu is int index ? usage.Gpus.FirstOrDefault(g => g.Index == index) : null;
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                db.RunSystemSamples.Add(new RunSystemSample
                {
                    RunId = runId, At = DateTime.UtcNow, Step = step(), CpuPercent = (float)usage.CpuPercent, ResidentBytes = usage.ProcessMemoryBytes,
                    GpuPercent = card is null ? null : (float)card.UtilizationPercent, GpuMemoryBytes = card?.MemoryUsedBytes,
                });
                await db.SaveChangesAsync(CancellationToken.None);
                if (++stored < max) continue;
                stored -= await ThinAsync(db, runId);
                interval *= 2;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            // Metrics are a by-product: losing them must never fail the run.
            logger.LogWarning(e, "System metrics of run {RunId} stopped", runId);
        }
    }

    // Thinnings per cluster run since this process started (its readings' grain doubles with each, as SampleAsync's does).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> thinnings = new();

    /// <summary>
    /// Keeps a reading taken elsewhere (a cluster worker's, sent with its steps) when the run's interval has passed since
    /// the last one kept, thinning like <see cref="SampleAsync"/> (the interval doubles with each thinning). Never throws.
    /// </summary>
    public async Task RecordAsync(int runId, long step, DateTime at, double cpuPercent, long residentBytes, double? gpuPercent, long? gpuMemoryBytes)
    {
        var baseInterval = options.Value.SystemSampleInterval;
        var max = Math.Max(2, options.Value.MaxSystemSamplesPerRun);
        if (baseInterval <= TimeSpan.Zero) return;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var stored = await db.RunSystemSamples.CountAsync(s => s.RunId == runId);
            var interval = baseInterval * Math.Pow(2, thinnings.GetValueOrDefault(runId));
            var last = await db.RunSystemSamples.Where(s => s.RunId == runId).OrderByDescending(s => s.At).Select(s => (DateTime?)s.At).FirstOrDefaultAsync();
            if (last is { } l && at - l < interval * 0.8) return; // readings arrive in batches: a little early is on time
            db.RunSystemSamples.Add(new RunSystemSample
            {
                RunId = runId, At = at, Step = step, CpuPercent = (float)Math.Clamp(cpuPercent, 0, 100), ResidentBytes = Math.Max(0, residentBytes),
                GpuPercent = gpuPercent is double g ? (float)Math.Clamp(g, 0, 100) : null, GpuMemoryBytes = gpuMemoryBytes,
            });
            await db.SaveChangesAsync(CancellationToken.None);
            if (stored + 1 < max) return;
            await ThinAsync(db, runId);
            thinnings.AddOrUpdate(runId, 1, (_, k) => Math.Min(k + 1, 20));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A system reading of run {RunId} was not stored", runId);
        }
    }

    /// <summary>Drops every other sample of the run (the newest stays); returns how many went.</summary>
    internal static async Task<int> ThinAsync(MedSegDbContext db, int runId)
    {
        var ids = await db.RunSystemSamples.Where(s => s.RunId == runId).OrderByDescending(s => s.At).ThenByDescending(s => s.Id)
            .Select(s => s.Id).ToListAsync(CancellationToken.None);
        var drop = ids.Where((_, i) => i % 2 == 1).ToList();
        return await db.RunSystemSamples.Where(s => drop.Contains(s.Id)).ExecuteDeleteAsync(CancellationToken.None);
    }

    /// <summary>"cuda:1" → 1, "cuda" → 0; null for the CPU (no GPU fields then).</summary>
    internal static int? CudaIndex(string device) =>
        !device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? null
        : device.IndexOf(':') is var colon and > 0 && int.TryParse(device.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : 0;
}

using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.Runs.Live;

/// <summary>
/// The stored steps of a run as its charts need them, in a bounded number of rows however long the run is (issue 18: a
/// run page with 100,000 steps read every row). Three bounded reads over the (RunId, Step) key:
/// <list type="number">
/// <item>the newest <c>tail</c> rows raw (ORDER BY Step DESC LIMIT): exact latest values, and contiguous so that live
/// messages continue them; read FIRST, with no upper step, so every step committed so far is in it or below it;</item>
/// <item>validation rows below the tail (filtered index <c>IX_RunStepMetrics_Validated</c>): all of them while they fit
/// their share, else the first and last of each bucket;</item>
/// <item>the older steps below the tail: all of them while their step range fits their share, else the first and last
/// step of each of share/2 equal step ranges, read by key (<c>Step IN (…) LIMIT</c>); runs that stored only every Nth
/// step get the bucket ends from <c>GROUP BY (Step - lo) / width</c> instead. The whole run's shape shows.</item>
/// </list>
/// Only the columns the charts draw are read for sampled rows; the tail rows are whole (the page's throughput, memory).
/// The sampled steps go to the database as ONE array parameter (<c>EF.Parameter</c>: json_each on SQLite, = ANY on
/// PostgreSQL): EF 10's default, one parameter per value, made a 2,000-placeholder statement whose binding took longer
/// than the lookups.
/// </summary>
public static class RunChartHistory
{
    /// <summary>Smallest and largest point budget a server may set (<c>Training:ChartHistoryPoints</c>).</summary>
    public const int MinPoints = 100, MaxPoints = 50_000;

    /// <summary>At most <paramref name="budget"/> stored steps after <paramref name="afterStep"/>, in step order.</summary>
    public static async Task<List<RunStepPoint>> ReadAsync(MedSegDbContext db, int runId, long afterStep, int budget, CancellationToken ct = default)
    {
        budget = Math.Clamp(budget, MinPoints, MaxPoints);
        var tailSize = budget / 4;
        var validationShare = budget / 4;
        var olderShare = budget - tailSize - validationShare;

        var run = db.RunStepMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Step > afterStep);
        var tail = await run.OrderByDescending(m => m.Step).Take(tailSize).ToListAsync(ct);
        var points = new SortedDictionary<long, RunStepPoint>();
        foreach (var row in tail) points[row.Step] = RunStepPoint.FromRow(row);
        if (tail.Count < tailSize) return [.. points.Values]; // the whole run after afterStep fits the tail

        var below = tail[^1].Step;
        var older = run.Where(m => m.Step < below);
        foreach (var p in await ValidationsAsync(older.Where(m => m.ValDice != null), validationShare, ct)) points[p.Step] = p;
        foreach (var p in await StepsAsync(older, olderShare, ct)) points.TryAdd(p.Step, p);
        return [.. points.Values];
    }

    /// <summary>Every validation row while they fit <paramref name="share"/> (a COUNT on the filtered index), else the first and last of share/2 buckets.</summary>
    private static async Task<List<RunStepPoint>> ValidationsAsync(IQueryable<RunStepMetric> rows, int share, CancellationToken ct)
    {
        var count = await rows.CountAsync(ct);
        if (count == 0) return [];
        if (count <= share) return await ChartRowsAsync(rows, share, ct);
        var lo = await rows.MinAsync(m => m.Step, ct);
        var hi = await rows.MaxAsync(m => m.Step, ct);
        return await BucketEndsAsync(rows, lo, hi, share, ct);
    }

    /// <summary>
    /// The older steps: all of them while their step range fits <paramref name="share"/>; else the first and last step of
    /// share/2 equal buckets looked up by key (a trainer stores every step, so this costs share index seeks, not a scan of
    /// the run); when most of those steps are missing (a run that stored every Nth step) the bucket ends come from SQL.
    /// </summary>
    private static async Task<List<RunStepPoint>> StepsAsync(IQueryable<RunStepMetric> rows, int share, CancellationToken ct)
    {
        var first = await rows.OrderBy(m => m.Step).Select(m => (long?)m.Step).FirstOrDefaultAsync(ct);
        if (first is not { } lo) return [];
        var hi = await rows.OrderByDescending(m => m.Step).Select(m => m.Step).FirstAsync(ct);
        if (hi - lo + 1 <= share) return await ChartRowsAsync(rows, share, ct);
        var buckets = Math.Max(1, share / 2);
        var width = (hi - lo) / buckets + 1;
        var steps = new List<long>(share);
        for (var start = lo; start <= hi; start += width) steps.AddRange([start, Math.Min(hi, start + width - 1)]);
        var found = await ChartRowsAsync(rows.Where(m => EF.Parameter(steps).Contains(m.Step)), share, ct);
        return found.Count * 2 >= steps.Count ? found : await BucketEndsAsync(rows, lo, hi, share, ct);
    }

    /// <summary>The first and last stored row of each of share/2 equal step ranges of lo..hi (one GROUP BY, then a read by key).</summary>
    private static async Task<List<RunStepPoint>> BucketEndsAsync(IQueryable<RunStepMetric> rows, long lo, long hi, int share, CancellationToken ct)
    {
        var buckets = Math.Max(1, share / 2);
        var width = (hi - lo) / buckets + 1;
        var ends = await rows.GroupBy(m => (m.Step - lo) / width)
            .Select(g => new { First = g.Min(m => m.Step), Last = g.Max(m => m.Step) }).Take(buckets).ToListAsync(ct);
        var steps = ends.SelectMany(e => new[] { e.First, e.Last }).Distinct().ToList();
        return await ChartRowsAsync(rows.Where(m => EF.Parameter(steps).Contains(m.Step)), share, ct);
    }

    /// <summary>At most <paramref name="limit"/> rows in step order, only the columns the charts draw.</summary>
    private static async Task<List<RunStepPoint>> ChartRowsAsync(IQueryable<RunStepMetric> rows, int limit, CancellationToken ct)
    {
        var sampled = await rows.OrderBy(m => m.Step).Take(limit)
            .Select(m => new { m.Step, m.At, m.Loss, m.Lr, m.ValDice, m.ValDiceJson, m.TermsJson }).ToListAsync(ct);
        return [.. sampled.Select(m => RunStepPoint.FromRow(new RunStepMetric
        {
            Step = m.Step, At = m.At, Loss = m.Loss, Lr = m.Lr, ValDice = m.ValDice, ValDiceJson = m.ValDiceJson, TermsJson = m.TermsJson,
        }))];
    }
}

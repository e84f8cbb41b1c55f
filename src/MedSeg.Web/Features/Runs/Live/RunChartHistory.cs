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
/// their share, else one per bucket;</item>
/// <item>the older steps below the tail: all of them while they fit their share, else the first and the last row of each
/// of at most <c>buckets</c> equal step ranges (<c>Step IN (SELECT MAX(Step) … GROUP BY (Step - lo) / width)</c>), so the
/// whole run's shape shows and gaps in the steps cost nothing.</item>
/// </list>
/// Only the columns the charts draw are read for sampled rows; the tail rows are whole (the page's throughput, memory).
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
        foreach (var p in await SampleAsync(older.Where(m => m.ValDice != null), validationShare, ct)) points[p.Step] = p;
        foreach (var p in await SampleAsync(older, olderShare, ct)) points.TryAdd(p.Step, p);
        return [.. points.Values];
    }

    /// <summary>Every row of <paramref name="rows"/> when at most <paramref name="share"/>, else the first and last of each of share/2 step buckets.</summary>
    private static async Task<List<RunStepPoint>> SampleAsync(IQueryable<RunStepMetric> rows, int share, CancellationToken ct)
    {
        var range = await rows.GroupBy(m => m.RunId)
            .Select(g => new { Count = g.Count(), Lo = g.Min(m => m.Step), Hi = g.Max(m => m.Step) }).FirstOrDefaultAsync(ct);
        if (range is null) return [];
        IQueryable<RunStepMetric> chosen;
        if (range.Count <= share) chosen = rows;
        else
        {
            var buckets = Math.Max(1, share / 2);
            var width = (range.Hi - range.Lo) / buckets + 1; // ≤ buckets groups of width steps cover lo..hi
            var lo = range.Lo;
            var firsts = rows.GroupBy(m => (m.Step - lo) / width).Select(g => g.Min(m => m.Step));
            var lasts = rows.GroupBy(m => (m.Step - lo) / width).Select(g => g.Max(m => m.Step));
            chosen = rows.Where(m => firsts.Contains(m.Step) || lasts.Contains(m.Step));
        }
        var sampled = await chosen.OrderBy(m => m.Step).Take(share)
            .Select(m => new { m.Step, m.At, m.Loss, m.Lr, m.ValDice, m.ValDiceJson, m.TermsJson }).ToListAsync(ct);
        return [.. sampled.Select(m => RunStepPoint.FromRow(new RunStepMetric
        {
            Step = m.Step, At = m.At, Loss = m.Loss, Lr = m.Lr, ValDice = m.ValDice, ValDiceJson = m.ValDiceJson, TermsJson = m.TermsJson,
        }))];
    }
}

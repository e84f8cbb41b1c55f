using System.Linq.Expressions;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.Lists;

/// <summary>
/// The lab's runs, datasets and leaderboard one page at a time: filter, sort and LIMIT/OFFSET run in the database (the
/// sort keys are indexed per lab), so a page costs the same with 100 runs or 10,000. The leaderboard's ranks are
/// computed once per query: competition ranks (1, 1, 3) from the page's position and one COUNT for its first score.
/// </summary>
public sealed class PagedLists(IDbContextFactory<MedSegDbContext> dbFactory)
{
    public static readonly string[] RunSortKeys = ["id", "name", "status", "method", "model", "created", "best_val_dice", "final_val_dice", "last_loss"];

    public static readonly string[] DatasetSortKeys = ["id", "name", "status", "created", "volumes", "bytes"];

    /// <summary>Benchmark protocol sort keys; "name" (the default) lists each name's versions newest first.</summary>
    public static readonly string[] BenchmarkSortKeys = ["name", "created", "id"];

    public async Task<ListPage<TrainingRun>> RunsAsync(PortalUser user, ListQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = FilterRuns(db, user, query);
        var total = await runs.CountAsync(ct);
        var page = await SortRuns(runs, query.Sort ?? "id", query.Desc).Skip(query.Skip).Take(query.Size)
            .Include(r => r.Owner).Include(r => r.Dataset).ToListAsync(ct);
        return new(page, total, query.Page, query.Size);
    }

    /// <summary>
    /// Every run of the lab that passes <paramref name="query"/>'s search and status (no page), in its sort order or else
    /// best validation Dice first (runs without one last, then by id), streamed row by row for the CSV exports.
    /// </summary>
    public async IAsyncEnumerable<TrainingRun> StreamRunsAsync(PortalUser user, ListQuery? query = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var filtered = FilterRuns(db, user, query ?? new ListQuery());
        var rows = (query?.Sort is { } sort ? SortRuns(filtered, sort, query.Desc)
            : filtered.OrderBy(r => r.BestValDice == null).ThenByDescending(r => r.BestValDice).ThenBy(r => r.Id)).Include(r => r.Owner).Include(r => r.Dataset);
        await foreach (var run in rows.AsAsyncEnumerable().WithCancellation(ct)) yield return run;
    }

    /// <summary>
    /// The whole leaderboard under <paramref name="metric"/> (within <paramref name="query"/>'s search and status, no page),
    /// ranked while streaming (the CSV exports of the API and the page).
    /// </summary>
    public async IAsyncEnumerable<LeaderboardEntry<TrainingRun>> StreamLeaderboardAsync(PortalUser user, LeaderboardMetric metric, ListQuery? query = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var score = ScoreOf(metric);
        var scored = FilterRuns(db, user, (query ?? new ListQuery()) with { Sort = null }).Where(NotNull(score));
        var ordered = (Leaderboard.HigherIsBetter(metric) ? scored.OrderByDescending(score) : scored.OrderBy(score)).ThenBy(r => r.Id)
            .Include(r => r.Owner).Include(r => r.Dataset);
        var compiled = score.Compile();
        LeaderboardEntry<TrainingRun>? previous = null;
        var position = 0;
        await foreach (var run in ordered.AsAsyncEnumerable().WithCancellation(ct))
        {
            position++;
            var s = compiled(run)!.Value;
            if (!double.IsFinite(s)) continue; // NaN / infinity: no place on a leaderboard (as the page)
            previous = new LeaderboardEntry<TrainingRun>(previous is not null && previous.Score == s ? previous.Rank : position, s, run);
            yield return previous;
        }
    }

    public async Task<ListPage<Dataset>> DatasetsAsync(PortalUser user, ListQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var datasets = db.Datasets.AsNoTracking().Where(d => d.LabId == user.LabId);
        if (query.Status is { Length: > 0 } s && Enum.TryParse<DatasetStatus>(s, true, out var status)) datasets = datasets.Where(d => d.Status == status);
        if (query.Search is { Length: > 0 } q)
        {
            var text = q.ToLowerInvariant();
            datasets = datasets.Where(d => d.Name.ToLower().Contains(text) || d.Kind.ToLower().Contains(text));
        }
        var total = await datasets.CountAsync(ct);
        IOrderedQueryable<Dataset> sorted = (query.Sort ?? "id") switch
        {
            "name" => By(datasets, d => d.Name, query.Desc),
            "status" => By(datasets, d => d.Status, query.Desc),
            "created" => By(datasets, d => d.CreatedUtc, query.Desc),
            "volumes" => By(datasets, d => d.VolumeCountDone, query.Desc),
            "bytes" => By(datasets, d => d.BytesOnDisk, query.Desc),
            _ => By(datasets, d => d.Id, query.Desc),
        };
        var page = await sorted.ThenByDescending(d => d.Id).Skip(query.Skip).Take(query.Size).Include(d => d.Owner).ToListAsync(ct);
        return new(page, total, query.Page, query.Size);
    }

    /// <summary>
    /// One page of the lab's benchmark protocols (every version a row): by name A→Z then newest version unless sorted
    /// otherwise (index LabId × Name × Version); <see cref="ListQuery.Search"/> matches the name.
    /// </summary>
    public async Task<ListPage<BenchmarkProtocolEntry>> BenchmarksAsync(PortalUser user, ListQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var protocols = db.BenchmarkProtocols.AsNoTracking().Where(p => p.LabId == user.LabId);
        if (query.Search is { Length: > 0 } q)
        {
            var text = q.ToLowerInvariant();
            protocols = protocols.Where(p => p.Name.ToLower().Contains(text));
        }
        var total = await protocols.CountAsync(ct);
        var sorted = (query.Sort ?? "name") switch
        {
            "created" => By(protocols, p => p.CreatedAt, query.Desc).ThenByDescending(p => p.Id),
            "id" => By(protocols, p => p.Id, query.Desc),
            _ => By(protocols, p => p.Name, query.Desc).ThenByDescending(p => p.Version),
        };
        var page = await sorted.Skip(query.Skip).Take(query.Size).ToListAsync(ct);
        return new(page, total, query.Page, query.Size);
    }

    /// <summary>One page of the lab's leaderboard under <paramref name="metric"/>: runs with a score, best first (ties: older first).</summary>
    public async Task<ListPage<LeaderboardEntry<TrainingRun>>> LeaderboardAsync(PortalUser user, LeaderboardMetric metric, ListQuery query,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var score = ScoreOf(metric);
        var higher = Leaderboard.HigherIsBetter(metric);
        var scored = FilterRuns(db, user, query with { Sort = null }).Where(NotNull(score));
        var total = await scored.CountAsync(ct);
        var ordered = (higher ? scored.OrderByDescending(score) : scored.OrderBy(score)).ThenBy(r => r.Id);
        var page = await ordered.Skip(query.Skip).Take(query.Size).Include(r => r.Owner).Include(r => r.Dataset).ToListAsync(ct);
        var entries = new List<LeaderboardEntry<TrainingRun>>(page.Count);
        var compiled = score.Compile();
        for (var i = 0; i < page.Count; i++)
        {
            var s = compiled(page[i])!.Value;
            int rank;
            if (i > 0 && s == entries[i - 1].Score) rank = entries[i - 1].Rank;
            else if (i > 0) rank = query.Skip + i + 1;
            else rank = 1 + await scored.CountAsync(Better(score, s, higher), ct); // the page's first score may tie with the previous page
            entries.Add(new(rank, s, page[i]));
        }
        return new(entries, total, query.Page, query.Size);
    }

    private static IQueryable<TrainingRun> FilterRuns(MedSegDbContext db, PortalUser user, ListQuery query)
    {
        var runs = db.TrainingRuns.AsNoTracking().Where(r => r.LabId == user.LabId);
        if (query.Status is { Length: > 0 } s && Enum.TryParse<TrainingRunStatus>(s, true, out var status)) runs = runs.Where(r => r.Status == status);
        if (query.Search is { Length: > 0 } q)
        {
            var text = q.ToLowerInvariant();
            runs = runs.Where(r => r.Name.ToLower().Contains(text) || (r.Tags != null && r.Tags.ToLower().Contains(text))
                || r.ModelName.ToLower().Contains(text) || r.Method.ToLower().Contains(text) || (r.Owner != null && r.Owner.Email!.ToLower().Contains(text)));
        }
        return runs;
    }

    private static IOrderedQueryable<TrainingRun> SortRuns(IQueryable<TrainingRun> runs, string sort, bool desc) => (sort switch
    {
        "name" => By(runs, r => r.Name, desc),
        "status" => By(runs, r => r.Status, desc),
        "method" => By(runs, r => r.Method, desc),
        "model" => By(runs, r => r.ModelName, desc),
        "created" => By(runs, r => r.CreatedAt, desc),
        "best_val_dice" => By(runs, r => r.BestValDice, desc),
        "final_val_dice" => By(runs, r => r.FinalValDice, desc),
        "last_loss" => By(runs, r => r.LastLoss, desc),
        _ => By(runs, r => r.Id, desc),
    }).ThenByDescending(r => r.Id);

    private static IOrderedQueryable<T> By<T, TKey>(IQueryable<T> rows, Expression<Func<T, TKey>> key, bool desc) =>
        desc ? rows.OrderByDescending(key) : rows.OrderBy(key);

    private static Expression<Func<TrainingRun, double?>> ScoreOf(LeaderboardMetric metric) => metric switch
    {
        LeaderboardMetric.BestValidationDice => r => r.BestValDice,
        LeaderboardMetric.LastValidationDice => r => r.FinalValDice,
        _ => r => r.LastLoss,
    };

    private static Expression<Func<TrainingRun, bool>> NotNull(Expression<Func<TrainingRun, double?>> score) =>
        Expression.Lambda<Func<TrainingRun, bool>>(Expression.NotEqual(score.Body, Expression.Constant(null, typeof(double?))), score.Parameters);

    private static Expression<Func<TrainingRun, bool>> Better(Expression<Func<TrainingRun, double?>> score, double than, bool higher)
    {
        var value = Expression.Convert(Expression.Constant(than), typeof(double?));
        var body = higher ? Expression.GreaterThan(score.Body, value) : Expression.LessThan(score.Body, value);
        return Expression.Lambda<Func<TrainingRun, bool>>(body, score.Parameters);
    }
}

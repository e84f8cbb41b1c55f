using System.Security.Claims;
using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Features.Lists;

/// <summary>
/// Paged lists for scripts (the pages call <see cref="PagedLists"/> directly): <c>GET /api/runs</c>,
/// <c>GET /api/runs/leaderboard?metric=best_val_dice|final_val_dice|last_loss</c> and <c>GET /api/datasets</c>, each with
/// <c>page</c> (1-based), <c>size</c> (≤ Limits:MaxPageSize), <c>sort</c>, <c>desc</c>, <c>q</c> and <c>status</c>;
/// the answer is <c>{items, total, page, size}</c>. Bad paging is a 400 naming the field, the value and the limit.
/// </summary>
public static class ListApi
{
    public sealed record RankedRun(int Rank, double Score, RunApi.RunSummary Run);

    public sealed record DatasetSummary(int Id, string Name, string Kind, DatasetStatus Status, int VolumeCountRequested, int VolumeCountDone,
        long BytesOnDisk, string? Owner, DateTime CreatedUtc, DateTime? FinishedUtc);

    public static IEndpointRouteBuilder MapListApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/runs", async (ClaimsPrincipal user, PagedLists lists, IOptions<LimitsOptions> limits, CancellationToken ct,
            int? page, int? size, string? sort, bool? desc, string? q, string? status) =>
        {
            var query = new ListQuery(page ?? 1, size ?? 50, sort, desc ?? true, q, status);
            if (Refused(query, limits.Value, PagedLists.RunSortKeys) is { } refused) return refused;
            var found = await lists.RunsAsync(PortalUser.From(user), query, ct);
            return Results.Ok(new ListPage<RunApi.RunSummary>([.. found.Items.Select(RunApi.RunSummary.From)], found.Total, found.Page, found.Size));
        }).RequireAuthorization();
        endpoints.MapGet("/api/runs/leaderboard", async (ClaimsPrincipal user, PagedLists lists, IOptions<LimitsOptions> limits, CancellationToken ct,
            string? metric, int? page, int? size, string? q, string? status) =>
        {
            var m = LeaderboardMetric.BestValidationDice;
            if (metric is not null && !Leaderboard.TryParseColumn(metric, out m))
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["metric"] = [$"Metric: one of {string.Join(", ", Enum.GetValues<LeaderboardMetric>().Select(Leaderboard.ColumnName))}, got '{metric}'."],
                });
            var query = new ListQuery(page ?? 1, size ?? 50, null, true, q, status);
            if (Refused(query, limits.Value, []) is { } refused) return refused;
            var found = await lists.LeaderboardAsync(PortalUser.From(user), m, query, ct);
            return Results.Ok(new ListPage<RankedRun>([.. found.Items.Select(e => new RankedRun(e.Rank, e.Score, RunApi.RunSummary.From(e.Run)))],
                found.Total, found.Page, found.Size));
        }).RequireAuthorization();
        endpoints.MapGet("/api/datasets", async (ClaimsPrincipal user, PagedLists lists, IOptions<LimitsOptions> limits, CancellationToken ct,
            int? page, int? size, string? sort, bool? desc, string? q, string? status) =>
        {
            var query = new ListQuery(page ?? 1, size ?? 50, sort, desc ?? true, q, status);
            if (Refused(query, limits.Value, PagedLists.DatasetSortKeys) is { } refused) return refused;
            var found = await lists.DatasetsAsync(PortalUser.From(user), query, ct);
            return Results.Ok(new ListPage<DatasetSummary>([.. found.Items.Select(d => new DatasetSummary(d.Id, d.Name, d.Kind, d.Status,
                d.VolumeCountRequested, d.VolumeCountDone, d.BytesOnDisk, d.Owner?.Email, d.CreatedUtc, d.FinishedUtc))], found.Total, found.Page, found.Size));
        }).RequireAuthorization();
        return endpoints;
    }

    private static IResult? Refused(ListQuery query, LimitsOptions limits, IReadOnlyCollection<string> sortKeys) =>
        query.Problems(limits.MaxPageSize, sortKeys) is { Count: > 0 } problems
            ? Results.ValidationProblem(new Dictionary<string, string[]> { ["list"] = [.. problems] })
            : null;
}

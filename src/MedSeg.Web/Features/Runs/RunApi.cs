using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using MedSeg.Data.Entities;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Infrastructure;

using MedSeg.Web.Features.Runs.Cluster;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// HTTP API under /api/runs (signed-in users only; anonymous callers get 401): queue a run, stop or resume it, its step
/// metrics after a step (the same answer as the hub's Subscribe), and the lab's leaderboard as CSV.
/// </summary>
public static class RunApi
{
    public static IEndpointRouteBuilder MapRunApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/runs").RequireAuthorization();
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.LabWriter);
        group.MapGet("/{id:int}", async (int id, ClaimsPrincipal user, TrainingRunService runs, CancellationToken ct) =>
            await runs.FindAsync(PortalUser.From(user), id, ct) is { } run ? Results.Ok(RunSummary.From(run)) : NotFound(id));
        group.MapGet("/{id:int}/metrics", async (int id, long? after, ClaimsPrincipal user, TrainingRunService runs, CancellationToken ct) =>
            await runs.MetricsAsync(PortalUser.From(user), id, after ?? 0, ct) is { } metrics ? Results.Ok(metrics) : NotFound(id));
        group.MapGet("/{id:int}/events", async (int id, ClaimsPrincipal user, TrainingRunService runs, CancellationToken ct) =>
            await runs.FindAsync(PortalUser.From(user), id, ct) is null ? NotFound(id) : Results.Ok(await runs.EventsAsync(PortalUser.From(user), id, ct)));
        group.MapPost("/{id:int}/cancel", (int id, ClaimsPrincipal user, TrainingRunService runs, CancellationToken ct) =>
            ControlAsync(id, "cancel", user, runs, (u, c) => runs.CancelAsync(u, id, c), ct));
        group.MapPost("/{id:int}/pause", (int id, ClaimsPrincipal user, TrainingRunService runs, CancellationToken ct) =>
            ControlAsync(id, "pause", user, runs, (u, c) => runs.PauseAsync(u, id, c), ct));
        group.MapPost("/{id:int}/resume", (int id, ClaimsPrincipal user, TrainingRunService runs, CancellationToken ct) =>
            ControlAsync(id, "resume", user, runs, (u, c) => runs.ResumeAsync(u, id, c), ct));
        group.MapPost("/{id:int}/worker-token/revoke", (int id, ClaimsPrincipal user, TrainingRunService runs, WorkerTokenRevocation revocation, CancellationToken ct) =>
            ControlAsync(id, "revoke the worker token of", user, runs, (u, c) => revocation.RevokeAsync(u, id, c), ct));
        group.MapGet("/export.csv", ExportCsvAsync);
        return endpoints;
    }

    /// <summary>
    /// Body of <c>POST /api/runs</c>: <c>config</c> and <c>spec</c> are JSON objects (not strings). <c>method</c> is a
    /// catalogue name ("volf", "lwi", "swin-ssl", "context", "doersch"; absent: FDSL) and <c>config</c> that method's options;
    /// its images come from <c>datasetId</c> or <c>downstream</c> ("downstream/NAME"). <c>backend</c> (<c>Local</c> /
    /// <c>Slurm</c>) and <c>cluster</c> (<c>{partition, gpus, cpus, memoryGb, timeLimitMinutes}</c>) choose where it runs.
    /// </summary>
    public sealed record CreateRunBody(string Name, JsonElement Config, int? DatasetId, JsonElement? Spec, string? Tags, int Priority = 0,
        string? Method = null, string? Downstream = null, string? Backend = null, ClusterRequest? Cluster = null);

    /// <summary>A run as the API returns it (no navigation properties).</summary>
    public sealed record RunSummary(int Id, string Name, string Method, string ModelName, TrainingRunStatus Status, int Priority,
        long CurrentStep, long TotalSteps, double? LastLoss, double? BestValDice, double? FinalValDice, string? Device,
        string? LastCheckpointPath, string? BestCheckpointPath, string? ErrorText, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt,
        string? WorkerName, string Backend, string? ClusterJobId, string? ClusterJobState, string? ClusterJobReason, string? ClusterNode,
        ClusterRequest? Cluster)
    {
        public static RunSummary From(TrainingRun r) => new(r.Id, r.Name, r.Method, r.ModelName, r.Status, r.Priority, r.CurrentStep,
            r.TotalSteps, r.LastLoss, r.BestValDice, r.FinalValDice, r.Device, r.LastCheckpointPath, r.BestCheckpointPath, r.ErrorText,
            r.CreatedAt, r.StartedAt, r.FinishedAt, r.WorkerName, r.Backend, r.ClusterJobId, r.ClusterJobState, r.ClusterJobReason, r.ClusterNode,
            r.ClusterRequestJson is null ? null : ClusterRequest.FromJson(r.ClusterRequestJson));
    }

    private static async Task<IResult> CreateAsync(CreateRunBody body, ClaimsPrincipal user, TrainingRunService runs, CancellationToken ct)
    {
        var request = new TrainingRunRequest(body.Name ?? "", body.Config.GetRawText(), body.DatasetId,
            body.Spec is { ValueKind: not JsonValueKind.Null } spec ? spec.GetRawText() : null, body.Tags, body.Priority, body.Method, body.Downstream,
            body.Backend, body.Cluster);
        var (run, errors) = await runs.TryCreateAsync(PortalUser.From(user), request, ct);
        return run is null
            ? Results.ValidationProblem(new Dictionary<string, string[]> { ["run"] = [.. errors] })
            : Results.Created($"/api/runs/{run.Id}", RunSummary.From(run));
    }

    /// <summary>
    /// A pause / cancel / resume: 404 for a run the caller's lab cannot see (its existence is not revealed), 403 for one
    /// they see but may not manage, 409 when its state does not allow the action, 204 when done.
    /// </summary>
    private static async Task<IResult> ControlAsync(int id, string action, ClaimsPrincipal principal, TrainingRunService runs,
        Func<PortalUser, CancellationToken, Task<bool>> act, CancellationToken ct)
    {
        var user = PortalUser.From(principal);
        var run = await runs.FindAsync(user, id, ct);
        if (run is null) return NotFound(id);
        if (!user.CanManage(run)) return ApiProblems.Forbidden($"Only the run's owner or the lab's PI may {action} run {id}.");
        return await act(user, ct) ? Results.NoContent() : ApiProblems.Conflict($"Run {id} is {run.Status}; it cannot {action} now.");
    }

    internal static IResult NotFound(int id) => ApiProblems.NotFound($"No run {id} in your lab.");

    /// <summary>
    /// The lab's runs as CSV: best validation Dice first, or with <c>?ids=3,1,2</c> exactly those runs in that order (the
    /// pages export what they show from the circuit; scripts use this). <c>?rankBy=best_val_dice|final_val_dice|last_loss</c>
    /// exports the leaderboard instead: <c>rank</c> and that column first, runs without a score left out (as on the page),
    /// within <c>ids</c> if given.
    /// </summary>
    private static async Task<IResult> ExportCsvAsync(string? ids, string? rankBy, ClaimsPrincipal user, TrainingRunService runs,
        Features.Lists.PagedLists lists, CancellationToken ct)
    {
        LeaderboardMetric metric = default;
        if (rankBy is not null && !Leaderboard.TryParseColumn(rankBy, out metric))
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["rankBy"] = [$"rankBy must be one of {string.Join(", ", Enum.GetValues<LeaderboardMetric>().Select(Leaderboard.ColumnName))}, got '{rankBy}'."],
            });
        // The whole lab: streamed from the database row by row, never all runs in memory.
        if (ids is null)
        {
            var by = PortalUser.From(user);
            return rankBy is null
                ? Results.Stream(body => RunCsv.WriteAsync(body, lists.StreamRunsAsync(by, null, ct), ct), "text/csv", "runs.csv")
                : Results.Stream(body => RunCsv.WriteRankedAsync(body, lists.StreamLeaderboardAsync(by, metric, null, ct), Leaderboard.ColumnName(metric), ct),
                    "text/csv", "leaderboard.csv");
        }
        var list = await runs.ListAsync(PortalUser.From(user), ct);
        IEnumerable<TrainingRun> rows = list.OrderByDescending(r => r.BestValDice ?? double.NegativeInfinity).ThenBy(r => r.Id);
        if (ids is not null)
        {
            var byId = list.ToDictionary(r => r.Id);
            rows = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
                .Distinct().Where(byId.ContainsKey).Select(id => byId[id]);
        }
        if (rankBy is null) return Results.File(Encoding.UTF8.GetBytes(RunCsv.Write(rows)), "text/csv", "runs.csv");
        // Oldest first, so ties are listed as the leaderboard page lists them.
        var ranked = Leaderboard.Rank(rows.OrderBy(r => r.Id), r => Leaderboard.Score(r, metric), Leaderboard.HigherIsBetter(metric));
        return Results.File(Encoding.UTF8.GetBytes(RunCsv.WriteRanked(ranked, Leaderboard.ColumnName(metric))), "text/csv", "leaderboard.csv");
    }
}

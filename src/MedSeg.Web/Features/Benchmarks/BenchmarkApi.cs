using System.Security.Claims;
using MedSeg.Web.Features.Lists;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Features.Benchmarks;

/// <summary>
/// Signed in: <c>GET /api/benchmarks?page=&amp;size=&amp;sort=name|created|id&amp;desc=&amp;q=</c> (the lab's protocols, one page:
/// <c>{items: [{id, name, version, createdAt}], total, page, size}</c>, by name then newest version), <c>GET /api/benchmarks/{id}</c> (grid counts),
/// <c>GET /api/benchmarks/{id}/export?format=csv|summary|latex|html|curve-svg|bars-svg[&amp;metric=dice][&amp;dataset=NAME]</c>,
/// <c>POST /api/benchmarks</c> (protocol JSON body → the saved version, 400 with problems) and
/// <c>POST /api/benchmarks/{id}/run</c> <c>{ runIds: [..], scratch: true, seeds?: [..], weights?: ["weights/LAB/NAME.safetensors"] }</c> →
/// cells queued / already there (404: another lab's protocol; 403: viewers);
/// <c>POST /api/benchmarks/{id}/weights?name=NAME</c> with a safetensors file as the raw body → 201 with its key check against
/// the protocol's network, or 400/403/404/409/413/422 with <c>problems</c> (<see cref="WeightsImport"/>).
/// </summary>
public static class BenchmarkApi
{
    public sealed record ProtocolSummary(int Id, string Name, int Version, DateTime CreatedAt);

    public sealed record RunRequest(IReadOnlyList<int>? RunIds, bool Scratch, IReadOnlyList<long>? Seeds = null, IReadOnlyList<string>? Weights = null);

    public static IEndpointRouteBuilder MapBenchmarkApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/benchmarks").RequireAuthorization();
        group.MapGet("", async (ClaimsPrincipal user, PagedLists lists, IOptions<LimitsOptions> limits, CancellationToken ct,
            int? page, int? size, string? sort, bool? desc, string? q) =>
        {
            var query = new ListQuery(page ?? 1, size ?? 50, sort, desc ?? false, q);
            if (query.Problems(limits.Value.MaxPageSize, PagedLists.BenchmarkSortKeys) is { Count: > 0 } problems)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["list"] = [.. problems] });
            var found = await lists.BenchmarksAsync(PortalUser.From(user), query, ct);
            return Results.Ok(new ListPage<ProtocolSummary>([.. found.Items.Select(p => new ProtocolSummary(p.Id, p.Name, p.Version, p.CreatedAt))],
                found.Total, found.Page, found.Size));
        });
        group.MapGet("/{id:int}", async (int id, ClaimsPrincipal user, BenchmarkService service, CancellationToken ct) =>
            await service.ViewAsync(PortalUser.From(user), id, ct) is { } v
                ? Results.Ok(new { v.Entry.Id, v.Entry.Name, v.Entry.Version, cells = v.Cells.Count, done = v.Count(GridState.Done),
                    running = v.Count(GridState.Running), queued = v.Count(GridState.Queued), failed = v.Count(GridState.Failed) })
                : Results.NotFound());
        group.MapGet("/{id:int}/export", async (int id, string? format, string? metric, string? dataset, ClaimsPrincipal user,
            BenchmarkService service, CancellationToken ct) =>
        {
            if (await service.ViewAsync(PortalUser.From(user), id, ct, withConfigs: format == "html") is not { } view) return Results.NotFound();
            try
            {
                var (file, type, text) = BenchmarkExport.Build(view, format ?? "csv", metric, dataset);
                return Results.File(System.Text.Encoding.UTF8.GetBytes(text), type + "; charset=utf-8", file);
            }
            catch (ArgumentException e) { return Results.BadRequest(new { problems = new[] { e.Message } }); }
        });
        group.MapPost("", async (HttpRequest request, ClaimsPrincipal user, BenchmarkService service, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            var json = await reader.ReadToEndAsync(ct);
            try
            {
                var saved = await service.SaveAsync(PortalUser.From(user), json, ct);
                return Results.Created($"/api/benchmarks/{saved.Id}", new { saved.Id, saved.Name, saved.Version });
            }
            catch (UnauthorizedAccessException e) { return ApiProblems.Forbidden(e.Message); }
            catch (ArgumentException e) { return Results.BadRequest(new { problems = new[] { e.Message } }); }
        });
        group.MapPost("/{id:int}/run", async (int id, RunRequest body, ClaimsPrincipal user, BenchmarkService service, CancellationToken ct) =>
        {
            try { return Results.Ok(await service.RunAsync(PortalUser.From(user), id, body.RunIds ?? [], body.Scratch, body.Seeds, body.Weights, ct)); }
            catch (KeyNotFoundException e) { return ApiProblems.NotFound(e.Message); }
            catch (UnauthorizedAccessException e) { return ApiProblems.Forbidden(e.Message); }
            catch (ArgumentException e) { return Results.BadRequest(new { problems = new[] { e.Message } }); }
        });
        group.MapPost("/{id:int}/weights", async (int id, string? name, HttpContext http, WeightsImport import,
            Microsoft.Extensions.Options.IOptions<Infrastructure.Options.LimitsOptions> limits, CancellationToken ct) =>
        {
            if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = limits.Value.MaxWeightsUploadBytes + 1; // the import names the limit itself
            try
            {
                var check = await import.ImportAsync(PortalUser.From(http.User), id, name, http.Request.Body, http.Request.ContentLength, ct);
                return Results.Created($"/api/benchmarks/{id}", check);
            }
            catch (WeightsImportException e) { return Results.Json(new { problems = new[] { e.Message } }, statusCode: e.Status); }
        });
        return endpoints;
    }
}

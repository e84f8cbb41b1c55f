using System.Security.Claims;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Benchmarks;

/// <summary>
/// Signed in: <c>GET /api/benchmarks</c> (the lab's protocols), <c>GET /api/benchmarks/{id}</c> (grid counts),
/// <c>GET /api/benchmarks/{id}/export?format=csv|summary|latex|html|curve-svg|bars-svg[&amp;metric=dice][&amp;dataset=NAME]</c>,
/// <c>POST /api/benchmarks</c> (protocol JSON body → the saved version, 400 with problems) and
/// <c>POST /api/benchmarks/{id}/run</c> <c>{ runIds: [..], scratch: true }</c> → cells queued / already there.
/// </summary>
public static class BenchmarkApi
{
    public sealed record RunRequest(IReadOnlyList<int>? RunIds, bool Scratch);

    public static IEndpointRouteBuilder MapBenchmarkApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/benchmarks").RequireAuthorization();
        group.MapGet("", async (ClaimsPrincipal user, BenchmarkService service, CancellationToken ct) =>
            Results.Ok((await service.ProtocolsAsync(PortalUser.From(user), ct)).Select(p => new { p.Id, p.Name, p.Version, p.CreatedAt })));
        group.MapGet("/{id:int}", async (int id, ClaimsPrincipal user, BenchmarkService service, CancellationToken ct) =>
            await service.ViewAsync(PortalUser.From(user), id, ct) is { } v
                ? Results.Ok(new { v.Entry.Id, v.Entry.Name, v.Entry.Version, cells = v.Cells.Count, done = v.Count(GridState.Done),
                    running = v.Count(GridState.Running), queued = v.Count(GridState.Queued), failed = v.Count(GridState.Failed) })
                : Results.NotFound());
        group.MapGet("/{id:int}/export", async (int id, string? format, string? metric, string? dataset, ClaimsPrincipal user,
            BenchmarkService service, CancellationToken ct) =>
        {
            if (await service.ViewAsync(PortalUser.From(user), id, ct) is not { } view) return Results.NotFound();
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
            catch (ArgumentException e) { return Results.BadRequest(new { problems = new[] { e.Message } }); }
        });
        group.MapPost("/{id:int}/run", async (int id, RunRequest body, ClaimsPrincipal user, BenchmarkService service, CancellationToken ct) =>
        {
            try { return Results.Ok(await service.RunAsync(PortalUser.From(user), id, body.RunIds ?? [], body.Scratch, ct)); }
            catch (ArgumentException e) { return Results.BadRequest(new { problems = new[] { e.Message } }); }
        });
        return endpoints;
    }
}

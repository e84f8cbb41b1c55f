using System.Security.Claims;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Runs.Tracking;

/// <summary>
/// What a run records beside its curves, under /api/runs/{id} (sign-in cookie or personal API token; another lab's run
/// answers 404): <c>GET|PUT notes</c> (Markdown; PUT <c>{markdown}</c> by the owner or the lab's PI, 422 past
/// the length limit), <c>GET checkpoints</c> (the checkpoint browser's rows), <c>GET checkpoints/{name}/model.safetensors</c>
/// (streamed, range requests), <c>GET system?after=ID</c> (CPU, memory and GPU samples).
/// </summary>
public static class RunTrackingApi
{
    public sealed record NotesBody(string? Markdown);

    public static IEndpointRouteBuilder MapRunTrackingApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/runs/{id:int}").RequireAuthorization();
        group.MapGet("/notes", async (int id, ClaimsPrincipal user, RunNotes notes, CancellationToken ct) =>
            await notes.GetAsync(PortalUser.From(user), id, ct) is { } view ? Results.Ok(view) : RunApi.NotFound(id));
        group.MapPut("/notes", SaveNotesAsync);
        group.MapGet("/checkpoints", async (int id, ClaimsPrincipal user, RunCheckpointFiles files, CancellationToken ct) =>
            await files.ListAsync(PortalUser.From(user), id, ct) is { } list ? Results.Ok(list) : RunApi.NotFound(id));
        group.MapGet("/checkpoints/{name}/model.safetensors", DownloadAsync);
        group.MapGet("/system", async (int id, long? after, ClaimsPrincipal user, RunSystemSamples samples, CancellationToken ct) =>
            await samples.ListAsync(PortalUser.From(user), id, after ?? 0, ct) is { } list ? Results.Ok(list) : RunApi.NotFound(id));
        return endpoints;
    }

    private static async Task<IResult> SaveNotesAsync(int id, NotesBody body, ClaimsPrincipal user, RunNotes notes, CancellationToken ct)
    {
        var saved = await notes.SaveAsync(PortalUser.From(user), id, body.Markdown, ct);
        return saved.Outcome switch
        {
            RunNotesOutcome.Saved => Results.Ok(saved.Notes),
            RunNotesOutcome.Forbidden => ApiProblems.Forbidden(saved.Problem!),
            RunNotesOutcome.Invalid => Results.ValidationProblem(new Dictionary<string, string[]> { ["notes"] = [saved.Problem!] },
                statusCode: StatusCodes.Status422UnprocessableEntity),
            _ => RunApi.NotFound(id),
        };
    }

    private static async Task<IResult> DownloadAsync(int id, string name, ClaimsPrincipal user, RunCheckpointFiles files, CancellationToken ct)
    {
        if (await files.FileAsync(PortalUser.From(user), id, name, ct) is not { } found)
            return ApiProblems.NotFound($"No checkpoint '{name}' of run {id} in your lab.");
        var info = new FileInfo(found.File);
        return Results.File(found.File, "application/octet-stream", $"run-{id}-{name}.safetensors",
            lastModified: info.LastWriteTimeUtc, enableRangeProcessing: true);
    }
}

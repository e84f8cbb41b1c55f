using System.Text.Json;
using MedSeg.Training.Worker;
using MedSeg.Web.Features.Runs.Cluster;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Runs.Cluster;

/// <summary>
/// The cluster workers' API, <c>/api/worker/runs/{id}/start|steps|finish</c>: no user sign-in; each call carries the run's
/// worker token in <see cref="WorkerProtocol.TokenHeader"/>, valid only while that run is Running on Slurm (cleared when it
/// stops). A wrong, revoked or foreign token is 401 (the worker then checkpoints and stops). Bodies are
/// <see cref="WorkerProtocol"/> JSON (NaN losses allowed).
/// </summary>
public static class WorkerApi
{
    /// <summary>Steps accepted in one call.</summary>
    public const int MaxStepsPerCall = 10_000;

    public static IEndpointRouteBuilder MapWorkerApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/worker/runs/{id:int}").AllowAnonymous();
        group.MapPost("/start", (int id, HttpRequest request, ClusterWorkerReports reports, CancellationToken ct) =>
            HandleAsync<WorkerStart>(id, request, reports, async (run, start) =>
                await reports.StartAsync(run, start, ct) is { } launch ? Results.Json(launch, WorkerProtocol.Json)
                    : ApiProblems.Conflict($"Run {id} cannot be trained: see its error in the portal."), ct));
        group.MapPost("/steps", (int id, HttpRequest request, ClusterWorkerReports reports, CancellationToken ct) =>
            HandleAsync<List<WorkerStep>>(id, request, reports, async (run, steps) => steps.Count > MaxStepsPerCall
                ? Results.ValidationProblem(new Dictionary<string, string[]> { ["steps"] = [$"At most {MaxStepsPerCall} steps per call, got {steps.Count}."] })
                : Results.Json(await reports.StepsAsync(run, steps, ct), WorkerProtocol.Json), ct));
        group.MapPost("/finish", (int id, HttpRequest request, ClusterWorkerReports reports, CancellationToken ct) =>
            HandleAsync<WorkerFinish>(id, request, reports, async (run, finish) =>
            {
                await reports.FinishAsync(run, finish, ct);
                return Results.Json(new WorkerControl(null), WorkerProtocol.Json);
            }, ct));
        return endpoints;
    }

    private static async Task<IResult> HandleAsync<T>(int id, HttpRequest request, ClusterWorkerReports reports,
        Func<Data.Entities.TrainingRun, T, Task<IResult>> handle, CancellationToken ct)
    {
        var run = await reports.AuthorizeAsync(id, request.Headers[WorkerProtocol.TokenHeader].ToString(), ct);
        if (run is null)
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: $"No running cluster run {id} accepts this worker token (revoked when the run stopped, or never issued).");
        T? body;
        try { body = await JsonSerializer.DeserializeAsync<T>(request.Body, WorkerProtocol.Json, ct); }
        catch (JsonException e) { return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"Unreadable {typeof(T).Name}: {e.Message}"] }); }
        return body is null
            ? Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"Expected a {typeof(T).Name} JSON body."] })
            : await handle(run, body);
    }
}

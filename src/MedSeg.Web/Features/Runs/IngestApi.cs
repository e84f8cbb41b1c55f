using System.Buffers.Binary;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// Runs trained elsewhere (a MONAI script, another cluster) reporting into the portal with a personal API token, so
/// they sit in the same run list, compare view and leaderboard. <c>POST /api/ingest/runs</c> creates one (method
/// External, status Running, owned by the token's account, in its lab); <c>POST …/{id}/steps</c> logs steps (loss,
/// learning rate, validation Dice); <c>POST …/{id}/evaluation</c> attaches the final evaluation and completes it;
/// <c>PUT …/{id}/checkpoint</c> attaches a safetensors checkpoint (raw body). The owner or the lab's PI may report.
/// </summary>
public static class IngestApi
{
    public sealed record CreateBody(string Name, string Model, JsonElement? Config, long TotalSteps, string? Tags);

    public sealed record StepBody(long Step, double Loss, double? Lr, double? ValDice, double?[]? ValDicePerClass);

    public sealed record EvaluationBody(double? FinalValDice, JsonElement? Metrics);

    private const int MaxConfigChars = 64 * 1024;
    private const int MaxStepsPerCall = 10_000;

    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/ingest/runs").RequireAuthorization(Policies.LabWriter);
        group.MapPost("", CreateAsync);
        group.MapPost("/{id:int}/steps", LogStepsAsync);
        group.MapPost("/{id:int}/evaluation", EvaluateAsync);
        group.MapPut("/{id:int}/checkpoint", CheckpointAsync);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(CreateBody body, ClaimsPrincipal principal, IDbContextFactory<MedSegDbContext> dbFactory,
        IOptions<LimitsOptions> limits, AuditLog audit, RunProgressFeed feed, HttpContext http, CancellationToken ct)
    {
        var user = PortalUser.From(principal);
        var name = body.Name?.Trim() ?? "";
        var model = body.Model?.Trim() ?? "";
        var config = body.Config is { ValueKind: JsonValueKind.Object } c ? c.GetRawText() : "{}";
        var problems = new List<string>();
        if (NameRule.Problem(name) is { } badName) problems.Add(badName);
        if (model.Length is 0 or > 100) problems.Add($"Model: 1–100 characters, got '{model}'.");
        if (body.Config is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
            problems.Add($"Config: a JSON object, got {body.Config.Value.ValueKind}.");
        if (config.Length > MaxConfigChars) problems.Add($"Config: at most {MaxConfigChars} characters, got {config.Length}.");
        if (body.TotalSteps < 1 || body.TotalSteps > limits.Value.MaxSteps)
            problems.Add($"TotalSteps: 1..{limits.Value.MaxSteps} (Limits:MaxSteps), got {body.TotalSteps}.");
        if (body.Tags is { Length: > 400 }) problems.Add($"Tags: at most 400 characters, got {body.Tags.Length}.");
        if (await http.RequestServices.GetRequiredService<Features.Membership.LabQuotas>().DiskRefusalAsync(user.LabId, 0, ct) is { } full) problems.Add(full);
        if (problems.Count > 0) return Results.ValidationProblem(new Dictionary<string, string[]> { ["run"] = [.. problems] });

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = DateTime.UtcNow;
        var run = new TrainingRun
        {
            Name = name, Method = TrainingMethods.External, ModelName = model, ConfigJson = config,
            OwnerId = user.Id, LabId = user.LabId, Tags = body.Tags, CreatedAt = now, StartedAt = now, TotalSteps = body.TotalSteps,
            Device = "external",
            // No worker of ours runs it: a name no training service has, and a lease that never lapses, keep the
            // start-up recovery and the takeover of dead workers' runs away from it.
            WorkerName = "external", LeaseExpiresAt = DateTime.MaxValue.AddDays(-1),
        };
        db.TrainingRuns.Add(RunLifecycle.Admit(run, TrainingRunStatus.Running));
        await db.SaveChangesAsync(ct);
        run.RunFolder = DataPaths.RelativeRunPath(run.Id);
        RunLifecycle.Record(db, run.Id, RunEventKinds.Started, $"External run reported by {user.Name}", null, now);
        await db.SaveChangesAsync(ct);
        audit.Record(user, "ingest.create", $"run {run.Id} '{name}' ({model})");
        await feed.PublishStatusAsync(run);
        return Results.Created($"/api/runs/{run.Id}", RunApi.RunSummary.From(run));
    }

    private static async Task<IResult> LogStepsAsync(int id, StepBody[] steps, ClaimsPrincipal principal, IDbContextFactory<MedSegDbContext> dbFactory,
        RunProgressFeed feed, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (run, refusal) = await ReportableAsync(db, id, principal, ct);
        if (refusal is not null) return refusal;
        if (run!.Status != TrainingRunStatus.Running) return ApiProblems.Conflict($"Run {id} is {run.Status}; steps can be logged while it runs.");
        var c = CultureInfo.InvariantCulture;
        var problems = new List<string>();
        if (steps.Length is 0 or > MaxStepsPerCall) problems.Add($"Steps: 1..{MaxStepsPerCall} per call, got {steps.Length}.");
        long last = run.CurrentStep;
        foreach (var s in steps)
        {
            if (s.Step <= last || s.Step > run.TotalSteps)
                problems.Add(string.Create(c, $"Step: steps must increase after {last} up to TotalSteps {run.TotalSteps}, got {s.Step}."));
            if (!double.IsFinite(s.Loss)) problems.Add(string.Create(c, $"Loss: a finite number at step {s.Step}, got {s.Loss}."));
            if (s.ValDice is double d && !(d is >= 0 and <= 1)) problems.Add(string.Create(c, $"ValDice: 0..1 at step {s.Step}, got {d}."));
            last = Math.Max(last, s.Step);
            if (problems.Count >= 10) break;
        }
        if (problems.Count > 0) return Results.ValidationProblem(new Dictionary<string, string[]> { ["steps"] = [.. problems] });

        var now = DateTime.UtcNow;
        foreach (var s in steps)
            db.RunStepMetrics.Add(new RunStepMetric
            {
                RunId = id, Step = s.Step, At = now, Loss = s.Loss, Lr = s.Lr ?? 0, ValDice = s.ValDice,
                ValDiceJson = s.ValDicePerClass is { Length: > 0 } perClass ? JsonSerializer.Serialize(perClass) : null,
            });
        run.CurrentStep = steps[^1].Step;
        run.LastLoss = steps[^1].Loss;
        var best = steps.Where(s => s.ValDice is not null).Select(s => s.ValDice!.Value).DefaultIfEmpty(double.NegativeInfinity).Max();
        if (double.IsFinite(best) && (run.BestValDice is null || best > run.BestValDice)) run.BestValDice = best;
        await db.SaveChangesAsync(ct);
        await feed.PublishStatusAsync(run);
        return Results.Ok(RunApi.RunSummary.From(run));
    }

    private static async Task<IResult> EvaluateAsync(int id, EvaluationBody body, ClaimsPrincipal principal, IDbContextFactory<MedSegDbContext> dbFactory,
        DataPaths paths, RunProgressFeed feed, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (run, refusal) = await ReportableAsync(db, id, principal, ct);
        if (refusal is not null) return refusal;
        if (run!.Status != TrainingRunStatus.Running) return ApiProblems.Conflict($"Run {id} is {run.Status}; it already has its evaluation.");
        if (body.FinalValDice is double f && !(f is >= 0 and <= 1))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["finalValDice"] = [$"FinalValDice: 0..1, got {f}."] });
        var metrics = body.Metrics is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : "{}";
        if (metrics.Length > MaxConfigChars)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["metrics"] = [$"Metrics: at most {MaxConfigChars} characters, got {metrics.Length}."] });
        var folder = paths.RunDirectory(run);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "evaluation.external.json"), metrics, ct);
        run.FinalValDice = body.FinalValDice;
        if (body.FinalValDice is double final && (run.BestValDice is null || final > run.BestValDice)) run.BestValDice = final;
        run.FinishedAt = DateTime.UtcNow;
        RunLifecycle.Transition(db, run, TrainingRunStatus.Completed, RunEventKinds.Completed, "Final evaluation reported", run.CurrentStep, run.FinishedAt.Value);
        await db.SaveChangesAsync(ct);
        await feed.PublishStatusAsync(run);
        return Results.Ok(RunApi.RunSummary.From(run));
    }

    /// <summary>A safetensors file (8-byte header length, JSON header, data) streamed to checkpoints/final/, checked and bounded.</summary>
    private static async Task<IResult> CheckpointAsync(int id, HttpContext http, IDbContextFactory<MedSegDbContext> dbFactory, DataPaths paths,
        IOptions<LimitsOptions> limits, CancellationToken ct)
    {
        var limit = limits.Value.MaxIngestCheckpointBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (run, refusal) = await ReportableAsync(db, id, http.User, ct);
        if (refusal is not null) return refusal;
        var folder = Path.Combine(paths.RunDirectory(run!), "checkpoints", "final");
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".upload-{Guid.NewGuid():N}");
        try
        {
            long total = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
                {
                    total += read;
                    if (total > limit)
                        return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
                            detail: $"Checkpoint: larger than {limit:N0} bytes (Limits:MaxIngestCheckpointBytes).");
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            if (SafetensorsProblem(temp, total) is { } problem)
                return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, detail: $"Checkpoint: {problem}");
            File.Move(temp, Path.Combine(folder, "model.safetensors"), overwrite: true);
            run!.LastCheckpointPath = "checkpoints/final";
            run.BestCheckpointPath ??= "checkpoints/final";
            await db.SaveChangesAsync(ct);
            return Results.NoContent();
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Null when the file is a well-formed safetensors file (header length, JSON object header, offsets inside the file).</summary>
    private static string? SafetensorsProblem(string path, long length)
    {
        if (length < 10) return $"{length} bytes is not a safetensors file.";
        using var file = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > 100_000_000 || (long)headerLength > length - 8) return $"header length {headerLength} does not fit a {length}-byte file.";
        var header = new byte[headerLength];
        file.ReadExactly(header);
        try
        {
            using var json = JsonDocument.Parse(header);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return "the header is not a JSON object.";
            foreach (var tensor in json.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
                if (!tensor.Value.TryGetProperty("data_offsets", out var offsets) || offsets.GetArrayLength() != 2
                    || offsets[1].GetInt64() > length - 8 - (long)headerLength)
                    return $"tensor '{tensor.Name}' has data_offsets outside the file.";
        }
        catch (JsonException e) { return $"the header is not JSON ({e.Message})."; }
        catch (InvalidOperationException e) { return $"the header is malformed ({e.Message})."; }
        return null;
    }

    /// <summary>The external run if the caller may report to it: 404 for other labs' or unknown runs, 403 for others' runs, 409 for non-external runs.</summary>
    private static async Task<(TrainingRun? Run, IResult? Refusal)> ReportableAsync(MedSegDbContext db, int id, ClaimsPrincipal principal, CancellationToken ct)
    {
        var user = PortalUser.From(principal);
        var run = await db.TrainingRuns.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (run is null || !user.CanRead(run)) return (null, RunApi.NotFound(id));
        if (!user.CanManage(run)) return (null, ApiProblems.Forbidden($"Only the run's owner or the lab's PI may report to run {id}."));
        if (run.Method != TrainingMethods.External) return (null, ApiProblems.Conflict($"Run {id} is a {run.Method} run trained by the portal, not an external run."));
        return (run, null);
    }
}

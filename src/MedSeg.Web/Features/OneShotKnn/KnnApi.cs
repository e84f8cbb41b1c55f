using System.Security.Claims;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Data.Entities;
using MedSeg.Training.Evaluation.OneShot;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Viewer;

namespace MedSeg.Web.Features.OneShotKnn;

/// <summary>
/// One-shot kNN of a pretraining run (signed in; another lab's run answers 404): <c>POST /api/runs/{id}/knn</c>
/// (<see cref="KnnRequest"/>) → 202 with the job (403 viewers, 400 with problems), <c>GET /api/runs/{id}/knn</c> → the
/// run's jobs and finished reports, <c>GET /api/runs/{id}/knn/{stem}/image|label|transfer.nii.gz</c> → the label transfer
/// of a report's target case beside its image and ground truth (for the slice viewer).
/// </summary>
public static class KnnApi
{
    public static IEndpointRouteBuilder MapKnnApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/runs").RequireAuthorization();
        group.MapPost("/{id:int}/knn", async (int id, KnnRequest body, ClaimsPrincipal user, KnnEvaluations evaluations, CancellationToken ct) =>
        {
            try { return Results.Accepted($"/api/runs/{id}/knn", Describe(await evaluations.SubmitAsync(PortalUser.From(user), id, body, ct))); }
            catch (KeyNotFoundException e) { return ApiProblems.NotFound(e.Message); }
            catch (UnauthorizedAccessException e) { return ApiProblems.Forbidden(e.Message); }
            catch (ArgumentException e) { return Results.BadRequest(new { problems = new[] { e.Message } }); }
        });
        group.MapGet("/{id:int}/knn", async (int id, ClaimsPrincipal user, TrainingRunService runs, KnnEvaluations evaluations, DataPaths paths, CancellationToken ct) =>
        {
            var portalUser = PortalUser.From(user);
            if (await runs.FindAsync(portalUser, id, ct) is not { } run || run.Method == TrainingMethods.FineTune)
                return ApiProblems.NotFound($"No pretraining run {id} in your lab.");
            return Results.Ok(new
            {
                jobs = evaluations.Jobs(portalUser, id).Select(Describe),
                reports = OneShotKnnStore.List(paths.RunDirectory(run)).Select(r => new { stem = OneShotKnnStore.Stem(r.Options), report = r }),
            });
        });
        group.MapGet("/{id:int}/knn/{stem}/{file}", async (int id, string stem, string file, HttpRequest request, ClaimsPrincipal user, TrainingRunService runs,
            DataPaths paths, DownstreamDatasets datasets, CancellationToken ct) =>
        {
            var portalUser = PortalUser.From(user);
            if (await runs.FindAsync(portalUser, id, ct) is not { } run || run.Method == TrainingMethods.FineTune)
                return ApiProblems.NotFound($"No pretraining run {id} in your lab.");
            var view = TransferView.Find(paths.RunDirectory(run), stem, datasets, portalUser.LabId);
            if (view is null) return ApiProblems.NotFound($"Run {id} has no kNN label transfer '{stem}'.");
            return file switch
            {
                "image.nii.gz" => PredictionApi.Serve(request, view.ImagePath),
                "label.nii.gz" => PredictionApi.Serve(request, view.LabelPath),
                "transfer.nii.gz" => PredictionApi.Serve(request, view.TransferPath),
                _ => ApiProblems.NotFound($"Unknown file '{file}' (image, label or transfer .nii.gz)."),
            };
        });
        return endpoints;
    }

    /// <summary>The viewer URL of one file (image, label or transfer) of a report's label transfer.</summary>
    public static string FileUrl(int runId, string stem, string file) => $"api/runs/{runId}/knn/{Uri.EscapeDataString(stem)}/{file}.nii.gz";

    private static object Describe(KnnJob j) => new
    {
        j.Id, j.RunId, j.Dataset, state = j.State.ToString(), j.Done, j.Total, j.Message, j.Error, j.Stem,
        atlases = j.Options.Atlases, seed = j.Options.Seed, protocol = j.Options.Protocol.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// A report's label transfer with its target case's image and ground truth. Only names from the run's own knn/ listing
/// and the lab's dataset are used, so no request reaches outside them.
/// </summary>
public sealed record TransferView(OneShotKnnReport Report, string Case, string ImagePath, string LabelPath, string TransferPath)
{
    public static TransferView? Find(string runDir, string stem, DownstreamDatasets datasets, string labId)
    {
        var report = OneShotKnnStore.List(runDir).FirstOrDefault(r => OneShotKnnStore.Stem(r.Options) == stem);
        if (report?.TransferCase is not { } caseId) return null;
        var transfer = OneShotKnnStore.TransferPath(runDir, report.Options);
        var dir = datasets.Resolve($"{DownstreamDatasets.Folder}/{Training.Benchmarks.KnnBenchmarkScores.DatasetName(report.Options.Dataset)}", labId);
        if (dir is null || !File.Exists(transfer)) return null;
        try
        {
            var target = MsdCaseList.Read(dir).Cases.FirstOrDefault(c => c.Id == caseId);
            return target is null ? null : new TransferView(report, caseId, target.ImagePath, target.LabelPath, transfer);
        }
        catch (InvalidDataException) { return null; }
    }
}

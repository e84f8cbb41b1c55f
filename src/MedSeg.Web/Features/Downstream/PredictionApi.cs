using System.Security.Claims;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Metrics;
using MedSeg.Core.Nifti;
using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Viewer;

namespace MedSeg.Web.Features.Downstream;

/// <summary>
/// Fine-tune run predictions under /api/runs/{id}/predictions (signed-in users who may read the run; others 401/404):
/// the case list, and per case the image, ground-truth label, prediction and an agreement map built on the fly
/// (<see cref="PredictionComparison"/>). Paths end in .nii.gz for the Cornerstone NIfTI loader.
/// </summary>
public static class PredictionApi
{
    public static IEndpointRouteBuilder MapPredictionApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/runs").RequireAuthorization();
        group.MapGet("/{id:int}/predictions", async (int id, ClaimsPrincipal user, TrainingRunService runs, DataPaths paths, CancellationToken ct) =>
        {
            try { return await ListAsync(id, user, runs, paths, ct) is { } cases ? Results.Ok(cases.Select(c => c.Case)) : Results.NotFound(); }
            catch (InvalidDataException e) { return Unreadable(e); }
        });
        group.MapGet("/{id:int}/predictions/{name}/{file}", ServeAsync);
        return endpoints;
    }

    /// <summary>Cases of a fine-tune run the user may read that have a prediction file; null when the run is unknown to them.</summary>
    public static async Task<IReadOnlyList<PredictionCase>?> ListAsync(int id, ClaimsPrincipal user, TrainingRunService runs, DataPaths paths, CancellationToken ct)
    {
        var run = await runs.FindAsync(PortalUser.From(user), id, ct);
        if (run is null || run.Method != TrainingMethods.FineTune) return null;
        return RunPredictions.List(run, paths);
    }

    private static async Task<IResult> ServeAsync(int id, string name, string file, HttpRequest request, ClaimsPrincipal user, TrainingRunService runs,
        DataPaths paths, CancellationToken ct)
    {
        IReadOnlyList<PredictionCase>? cases;
        try { cases = await ListAsync(id, user, runs, paths, ct); }
        catch (InvalidDataException e) { return Unreadable(e); }
        if (cases is null) return ApiProblems.NotFound($"No fine-tune run {id}.");
        // Only names from the listing are served, so a case name can never reach outside the run or dataset folders.
        var found = cases.FirstOrDefault(c => c.Case == name);
        if (found is null) return ApiProblems.NotFound($"Run {id} has no prediction for case '{name}'.");
        return file switch
        {
            "image.nii.gz" => Serve(request, found.ImagePath),
            "label.nii.gz" => Serve(request, found.LabelPath),
            "prediction.nii.gz" => Serve(request, found.PredictionPath),
            "agreement.nii.gz" => Agreement(found),
            _ => ApiProblems.NotFound($"Unknown file '{file}' (image, label, prediction or agreement .nii.gz)."),
        };
    }

    /// <summary>The run's dataset.json / split.json is broken: 422 with the message naming the file and field.</summary>
    private static IResult Unreadable(InvalidDataException e) =>
        Results.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>A volume file for the viewer or a download (<see cref="NiftiVolumeFile"/>: one gzip member for the viewer); 404 when missing.</summary>
    internal static IResult Serve(HttpRequest request, string path) =>
        File.Exists(path) ? NiftiVolumeFile.Serve(request, path) : ApiProblems.NotFound($"Missing file {Path.GetFileName(path)}.");

    /// <summary>
    /// Agreement map written to a temp file, read into memory and deleted (volumes here are small); one gzip member, as
    /// the viewer's loader reads it (the bytes are served as they are).
    /// </summary>
    private static IResult Agreement(PredictionCase c)
    {
        try
        {
            var map = PredictionComparison.Build(NiftiReader.Read(c.PredictionPath), NiftiReader.Read(c.LabelPath),
                predictionName: Path.GetFileName(c.PredictionPath), labelName: Path.GetFileName(c.LabelPath));
            var temp = Path.Combine(Path.GetTempPath(), $"agreement-{Guid.NewGuid():N}.nii.gz");
            try
            {
                NiftiWriter.Write(map, temp, new NiftiWriteOptions { GzipChunkBytes = 0 });
                return NiftiVolumeFile.Serve(File.ReadAllBytes(temp), "agreement.nii.gz");
            }
            finally { File.Delete(temp); }
        }
        catch (SegmentationMismatchException e) { return Results.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity); }
    }
}

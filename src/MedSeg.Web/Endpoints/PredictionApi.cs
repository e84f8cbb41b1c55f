using System.Security.Claims;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Metrics;
using MedSeg.Core.Nifti;
using MedSeg.Data.Entities;
using MedSeg.Web.Generation;
using MedSeg.Web.Runs;
using MedSeg.Web.Runs.Downstream;
using MedSeg.Web.Security;

namespace MedSeg.Web.Endpoints;

/// <summary>
/// Fine-tune run predictions under /api/runs/{id}/predictions (signed-in users who may read the run; others 401/404):
/// the case list, and per case the image, ground-truth label, prediction and an agreement map built on the fly
/// (<see cref="PredictionComparison"/>). Paths end in .nii.gz for the Cornerstone NIfTI loader.
/// </summary>
public static class PredictionApi
{
    /// <summary>One case with a prediction file (and its files in the downstream dataset).</summary>
    public sealed record PredictionCase(string Case, string ImagePath, string LabelPath, string PredictionPath);

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

    /// <summary>The viewer URL of one file (image, label, prediction or agreement) of a case.</summary>
    public static string FileUrl(int runId, string caseName, string file) =>
        $"api/runs/{runId}/predictions/{Uri.EscapeDataString(caseName)}/{file}.nii.gz";

    /// <summary>Cases of a fine-tune run the user may read that have a prediction file; null when the run is unknown to them.</summary>
    public static async Task<IReadOnlyList<PredictionCase>?> ListAsync(int id, ClaimsPrincipal user, TrainingRunService runs, DataPaths paths, CancellationToken ct)
    {
        var run = await runs.FindAsync(PortalUser.From(user), id, ct);
        if (run is null || run.Method != TrainingMethods.FineTune) return null;
        return List(run, paths);
    }

    /// <summary>
    /// Cases of the run's dataset (<see cref="MsdCaseList"/>: dataset.json and file names only, no volume opened) that have
    /// a prediction file, by name; prediction files are named by case id as the fine-tune evaluator writes them.
    /// Throws <see cref="InvalidDataException"/> naming the file and field when dataset.json or split.json is broken.
    /// </summary>
    public static IReadOnlyList<PredictionCase> List(TrainingRun run, DataPaths paths)
    {
        var predictions = Path.Combine(paths.RunDirectory(run), "predictions");
        if (!Directory.Exists(predictions)) return [];
        var datasetDir = DatasetDirectory(run, paths);
        if (!File.Exists(Path.Combine(datasetDir, "dataset.json"))) return [];
        var list = new List<PredictionCase>();
        foreach (var c in MsdCaseList.Read(datasetDir).Cases.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            var prediction = Path.Combine(predictions, c.Id + ".nii.gz");
            if (!File.Exists(prediction)) continue;
            list.Add(new PredictionCase(c.Id, c.ImagePath, c.LabelPath, prediction));
        }
        return list;
    }

    /// <summary>Foreground class names from the run's dataset.json <c>labels</c> (MSD: id → name); empty when it has none.</summary>
    public static Dictionary<int, string> ClassNames(TrainingRun run, DataPaths paths)
    {
        var names = new Dictionary<int, string>();
        var json = Path.Combine(DatasetDirectory(run, paths), "dataset.json");
        if (!File.Exists(json)) return names;
        foreach (var (id, name) in MsdCaseList.ReadLabelNames(json))
            if (id > 0) names[id] = name;
        return names;
    }

    private static string DatasetDirectory(TrainingRun run, DataPaths paths) =>
        Path.GetFullPath(Path.Combine(paths.DataRoot, FineTuneRunConfig.Read(run.ConfigJson, $"run {run.Id}").DatasetDir));

    private static async Task<IResult> ServeAsync(int id, string name, string file, ClaimsPrincipal user, TrainingRunService runs,
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
            "image.nii.gz" => Serve(found.ImagePath),
            "label.nii.gz" => Serve(found.LabelPath),
            "prediction.nii.gz" => Serve(found.PredictionPath),
            "agreement.nii.gz" => Agreement(found),
            _ => ApiProblems.NotFound($"Unknown file '{file}' (image, label, prediction or agreement .nii.gz)."),
        };
    }

    /// <summary>The run's dataset.json / split.json is broken: 422 with the message naming the file and field.</summary>
    private static IResult Unreadable(InvalidDataException e) =>
        Results.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity);

    internal static IResult Serve(string path)
    {
        if (!File.Exists(path)) return ApiProblems.NotFound($"Missing file {Path.GetFileName(path)}.");
        var info = new FileInfo(path);
        var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
        return Results.File(path, DatasetApi.NiftiContentType, info.Name, lastModified: info.LastWriteTimeUtc, entityTag: etag, enableRangeProcessing: true);
    }

    /// <summary>Agreement map written to a temp file, read into memory and deleted (volumes here are small).</summary>
    private static IResult Agreement(PredictionCase c)
    {
        try
        {
            var map = PredictionComparison.Build(NiftiReader.Read(c.PredictionPath), NiftiReader.Read(c.LabelPath),
                predictionName: Path.GetFileName(c.PredictionPath), labelName: Path.GetFileName(c.LabelPath));
            var temp = Path.Combine(Path.GetTempPath(), $"agreement-{Guid.NewGuid():N}.nii.gz");
            try
            {
                NiftiWriter.Write(map, temp);
                return Results.File(File.ReadAllBytes(temp), DatasetApi.NiftiContentType, "agreement.nii.gz", enableRangeProcessing: true);
            }
            finally { File.Delete(temp); }
        }
        catch (SegmentationMismatchException e) { return Results.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity); }
    }
}

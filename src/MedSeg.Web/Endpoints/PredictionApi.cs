using System.Security.Claims;
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
            await ListAsync(id, user, runs, paths, ct) is { } cases ? Results.Ok(cases.Select(c => c.Case)) : Results.NotFound());
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

    public static IReadOnlyList<PredictionCase> List(TrainingRun run, DataPaths paths)
    {
        var predictions = Path.Combine(paths.RunDirectory(run), "predictions");
        if (!Directory.Exists(predictions)) return [];
        var options = FineTuneRunConfig.Read(run.ConfigJson, $"run {run.Id}");
        var datasetDir = Path.GetFullPath(Path.Combine(paths.DataRoot, options.DatasetDir));
        var json = Path.Combine(datasetDir, "dataset.json");
        if (!File.Exists(json)) return [];
        var list = new List<PredictionCase>();
        foreach (var (caseId, image, label) in TrainingCases(json).OrderBy(c => c.Case, StringComparer.Ordinal))
        {
            var prediction = Path.Combine(predictions, caseId + ".nii.gz");
            if (!File.Exists(prediction)) continue;
            list.Add(new PredictionCase(caseId, Path.Combine(datasetDir, image), Path.Combine(datasetDir, label), prediction));
        }
        return list;
    }

    /// <summary>Foreground class names from the run's dataset.json <c>labels</c> (MSD: id → name); empty when unreadable.</summary>
    public static Dictionary<int, string> ClassNames(TrainingRun run, DataPaths paths)
    {
        var names = new Dictionary<int, string>();
        var options = FineTuneRunConfig.Read(run.ConfigJson, $"run {run.Id}");
        var datasetDir = Path.GetFullPath(Path.Combine(paths.DataRoot, options.DatasetDir));
        if (!File.Exists(Path.Combine(datasetDir, "dataset.json"))) return names;
        foreach (var (id, name) in MedSeg.Training.FineTune.FineTuneDataset.ReadLabelNames(datasetDir))
            if (id > 0) names[id] = name;
        return names;
    }

    /// <summary>MSD <c>training</c> entries (image, label relative paths); the case id is the label file name without .nii.gz,
    /// as the fine-tune evaluator names its prediction files. Entries with a rooted path or ".." are skipped.</summary>
    private static IEnumerable<(string Case, string Image, string Label)> TrainingCases(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(json));
        if (!doc.RootElement.TryGetProperty("training", out var training) || training.ValueKind != System.Text.Json.JsonValueKind.Array) yield break;
        foreach (var entry in training.EnumerateArray())
        {
            if (entry.ValueKind != System.Text.Json.JsonValueKind.Object) continue;
            var image = entry.TryGetProperty("image", out var i) && i.ValueKind == System.Text.Json.JsonValueKind.String ? i.GetString() : null;
            var label = entry.TryGetProperty("label", out var l) && l.ValueKind == System.Text.Json.JsonValueKind.String ? l.GetString() : null;
            if (image is null || label is null || !Safe(image) || !Safe(label)) continue;
            var name = Path.GetFileName(label);
            foreach (var ending in new[] { ".nii.gz", ".nii" })
                if (name.EndsWith(ending, StringComparison.OrdinalIgnoreCase)) { name = name[..^ending.Length]; break; }
            yield return (name, image, label);
        }
        static bool Safe(string p) => !Path.IsPathRooted(p) && !p.Replace('\\', '/').Split('/').Contains("..");
    }

    private static async Task<IResult> ServeAsync(int id, string name, string file, ClaimsPrincipal user, TrainingRunService runs,
        DataPaths paths, CancellationToken ct)
    {
        var cases = await ListAsync(id, user, runs, paths, ct);
        if (cases is null) return Results.NotFound($"No fine-tune run {id}.");
        // Only names from the listing are served, so a case name can never reach outside the run or dataset folders.
        var found = cases.FirstOrDefault(c => c.Case == name);
        if (found is null) return Results.NotFound($"Run {id} has no prediction for case '{name}'.");
        return file switch
        {
            "image.nii.gz" => Serve(found.ImagePath),
            "label.nii.gz" => Serve(found.LabelPath),
            "prediction.nii.gz" => Serve(found.PredictionPath),
            "agreement.nii.gz" => Agreement(found),
            _ => Results.NotFound($"Unknown file '{file}' (image, label, prediction or agreement .nii.gz)."),
        };
    }

    private static IResult Serve(string path)
    {
        if (!File.Exists(path)) return Results.NotFound($"Missing file {Path.GetFileName(path)}.");
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

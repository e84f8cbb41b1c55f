using MedSeg.Core.Datasets.Msd;
using MedSeg.Data.Entities;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Downstream;

/// <summary>A fine-tune run's prediction files and its dataset's class names, for <see cref="PredictionApi"/> and the run page.</summary>
public static class RunPredictions
{
    /// <summary>The viewer URL of one file (image, label, prediction or agreement) of a case.</summary>
    public static string FileUrl(int runId, string caseName, string file) =>
        $"api/runs/{runId}/predictions/{Uri.EscapeDataString(caseName)}/{file}.nii.gz";

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
}

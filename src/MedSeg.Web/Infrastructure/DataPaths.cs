using MedSeg.Data.Entities;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Infrastructure;

/// <summary>Absolute locations under the configured data root.</summary>
public sealed class DataPaths(IOptions<StorageOptions> storage, IWebHostEnvironment environment)
{
    public string DataRoot { get; } = storage.Value.ResolveDataRoot(environment.ContentRootPath);

    /// <summary>Relative folder for a new dataset: <c>datasets/&lt;id&gt;</c> (ids never repeat, names may change).</summary>
    public static string RelativeDatasetPath(int id) => Path.Combine("datasets", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Relative folder for a training run: <c>runs/&lt;id&gt;</c>.</summary>
    public static string RelativeRunPath(int id) => Path.Combine("runs", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Absolute run folder of a training run (never outside the data root).</summary>
    public string RunDirectory(TrainingRun run)
    {
        var full = Path.GetFullPath(Path.Combine(DataRoot, run.RunFolder));
        if (!full.StartsWith(DataRoot, StringComparison.Ordinal) || run.RunFolder.Length == 0)
            throw new InvalidOperationException($"Run {run.Id} folder '{run.RunFolder}' is not inside the data root '{DataRoot}'.");
        return full;
    }

    public string DatasetDirectory(Dataset dataset)
    {
        var full = Path.GetFullPath(Path.Combine(DataRoot, dataset.Path));
        // A stored path must never point outside the data root.
        if (!full.StartsWith(DataRoot, StringComparison.Ordinal))
            throw new InvalidOperationException($"Dataset {dataset.Id} path '{dataset.Path}' leaves the data root '{DataRoot}'.");
        return full;
    }
}

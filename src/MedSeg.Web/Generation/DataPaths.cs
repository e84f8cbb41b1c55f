using MedSeg.Data.Entities;
using MedSeg.Web.Options;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Generation;

/// <summary>Absolute locations under the configured data root.</summary>
public sealed class DataPaths(IOptions<StorageOptions> storage, IWebHostEnvironment environment)
{
    public string DataRoot { get; } = storage.Value.ResolveDataRoot(environment.ContentRootPath);

    /// <summary>Relative folder for a new dataset: <c>datasets/&lt;id&gt;</c> (ids never repeat, names may change).</summary>
    public static string RelativeDatasetPath(int id) => Path.Combine("datasets", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string DatasetDirectory(Dataset dataset)
    {
        var full = Path.GetFullPath(Path.Combine(DataRoot, dataset.Path));
        // A stored path must never point outside the data root.
        if (!full.StartsWith(DataRoot, StringComparison.Ordinal))
            throw new InvalidOperationException($"Dataset {dataset.Id} path '{dataset.Path}' leaves the data root '{DataRoot}'.");
        return full;
    }
}

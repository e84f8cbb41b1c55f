using MedSeg.Core.Datasets.Msd;
using MedSeg.Web.Generation;

namespace MedSeg.Web.Runs.Downstream;

/// <summary>
/// Labelled downstream datasets: folders under <c>&lt;data root&gt;/downstream/</c> holding dataset.json and split.json,
/// as written by <c>medseg import msd SOURCE --out &lt;data root&gt;/downstream/NAME</c>. Paths are relative to the data root.
/// </summary>
public sealed class DownstreamDatasets(DataPaths paths)
{
    public const string Folder = "downstream";

    /// <summary>Relative paths ("downstream/NAME") of the usable folders, by name.</summary>
    public IReadOnlyList<string> List()
    {
        var root = Path.Combine(paths.DataRoot, Folder);
        if (!Directory.Exists(root)) return [];
        return [.. Directory.GetDirectories(root).Where(IsDataset).Order(StringComparer.Ordinal)
            .Select(d => Path.Combine(Folder, Path.GetFileName(d)))];
    }

    /// <summary>The absolute folder of a relative path, or null when it is not a dataset under downstream/ (no escaping the root).</summary>
    public string? Resolve(string? relative)
    {
        if (string.IsNullOrWhiteSpace(relative)) return null;
        var root = Path.GetFullPath(Path.Combine(paths.DataRoot, Folder)) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(paths.DataRoot, relative));
        return full.StartsWith(root, StringComparison.Ordinal) && IsDataset(full) ? full : null;
    }

    /// <summary>Label value → name from the folder's dataset.json (background included); reads dataset.json only.</summary>
    public static IReadOnlyDictionary<int, string> Labels(string folder) =>
        MsdCaseList.ReadLabelNames(Path.Combine(folder, "dataset.json"));

    private static bool IsDataset(string dir) =>
        File.Exists(Path.Combine(dir, "dataset.json")) && File.Exists(Path.Combine(dir, DatasetSplit.FileName));
}

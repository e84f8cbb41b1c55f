using MedSeg.Core.Datasets.Msd;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Downstream;

/// <summary>
/// Labelled downstream datasets: folders under <c>&lt;data root&gt;/downstream/</c> holding dataset.json and split.json,
/// as written by <c>medseg import msd SOURCE --out &lt;data root&gt;/downstream/NAME</c>. Paths are relative to the data root.
/// Each belongs to one lab, recorded in the folder's <see cref="LabFile"/> by the portal's import; a folder without one
/// (imported on the server with the CLI) belongs to the first lab. Other labs' datasets do not exist for a user.
/// </summary>
public sealed class DownstreamDatasets(DataPaths paths)
{
    public const string Folder = "downstream";

    /// <summary>The file in a dataset folder naming its lab.</summary>
    public const string LabFile = ".medseg-lab";

    /// <summary>Relative paths ("downstream/NAME") of the lab's usable folders, by name.</summary>
    public IReadOnlyList<string> List(string labId)
    {
        var root = Path.Combine(paths.DataRoot, Folder);
        if (!Directory.Exists(root)) return [];
        return [.. Directory.GetDirectories(root).Where(d => IsDataset(d) && LabOf(d) == labId).Order(StringComparer.Ordinal)
            .Select(d => Path.Combine(Folder, Path.GetFileName(d)))];
    }

    /// <summary>
    /// The absolute folder of a relative path, or null when it is not a dataset of <paramref name="labId"/> under
    /// downstream/ (no escaping the root).
    /// </summary>
    public string? Resolve(string? relative, string labId)
    {
        if (string.IsNullOrWhiteSpace(relative)) return null;
        var root = Path.GetFullPath(Path.Combine(paths.DataRoot, Folder)) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(paths.DataRoot, relative));
        return full.StartsWith(root, StringComparison.Ordinal) && IsDataset(full) && LabOf(full) == labId ? full : null;
    }

    /// <summary>Every lab's datasets: only for the benchmark protocols (merged from main; they are not lab-scoped yet).</summary>
    public IReadOnlyList<string> List()
    {
        var root = Path.Combine(paths.DataRoot, Folder);
        if (!Directory.Exists(root)) return [];
        return [.. Directory.GetDirectories(root).Where(IsDataset).Order(StringComparer.Ordinal).Select(d => Path.Combine(Folder, Path.GetFileName(d)))];
    }

    /// <summary>A dataset folder of any lab: only for the benchmark protocols (not lab-scoped yet).</summary>
    public string? Resolve(string? relative)
    {
        if (string.IsNullOrWhiteSpace(relative)) return null;
        var root = Path.GetFullPath(Path.Combine(paths.DataRoot, Folder)) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(paths.DataRoot, relative));
        return full.StartsWith(root, StringComparison.Ordinal) && IsDataset(full) ? full : null;
    }

    /// <summary>The lab a dataset folder belongs to (the first lab when the folder names none).</summary>
    public static string LabOf(string folder)
    {
        var file = Path.Combine(folder, LabFile);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : MedSeg.Data.Entities.Labs.Default;
    }

    /// <summary>Label value → name from the folder's dataset.json (background included); reads dataset.json only.</summary>
    public static IReadOnlyDictionary<int, string> Labels(string folder) =>
        MsdCaseList.ReadLabelNames(Path.Combine(folder, "dataset.json"));

    private static bool IsDataset(string dir) =>
        File.Exists(Path.Combine(dir, "dataset.json")) && File.Exists(Path.Combine(dir, DatasetSplit.FileName));
}

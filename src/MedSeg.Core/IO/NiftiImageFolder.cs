namespace MedSeg.Core.IO;

/// <summary>
/// The NIfTI images of a folder used as unlabelled data: an MSD / imported dataset's <c>imagesTr</c> and <c>imagesTs</c>,
/// or else every <c>.nii</c> / <c>.nii.gz</c> below it (<c>labelsTr</c> / <c>labelsTs</c> skipped, hidden "._x" files
/// ignored). Paths relative to the folder with '/' separators, sorted ordinally: the order samples index into.
/// </summary>
public static class NiftiImageFolder
{
    private static readonly string[] ImageFolders = ["imagesTr", "imagesTs"];
    private static readonly string[] LabelFolders = ["labelsTr", "labelsTs"];

    /// <summary>The image folders an MSD layout uses in <paramref name="root"/> (empty for a plain folder).</summary>
    public static string[] MsdImageFolders(string root) => ImageFolders.Where(f => Directory.Exists(Path.Combine(root, f))).ToArray();

    public static string[] List(string root)
    {
        root = Path.GetFullPath(root);
        var msd = MsdImageFolders(root);
        IEnumerable<string> files = msd.Length > 0
            ? msd.SelectMany(f => Directory.EnumerateFiles(Path.Combine(root, f), "*", SearchOption.AllDirectories))
            : Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => LabelFolders.Contains(part)));
        return files.Where(IsNifti)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !Path.GetFileName(f).StartsWith('.')) // macOS "._x.nii.gz" resource forks are not images
            .OrderBy(f => f, StringComparer.Ordinal).ToArray();
    }

    public static bool IsNifti(string path) =>
        path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".nii", StringComparison.OrdinalIgnoreCase);
}

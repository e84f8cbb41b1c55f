using MedSeg.Core.IO;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Datasets;

/// <summary>
/// Plain folders of NIfTI images a lab's self-supervised runs read (LWI, Swin SSL, Volume Fusion: any method with a
/// source option): the folders directly under <c>&lt;data root&gt;/unlabelled/</c> (copied there on the server), each
/// belonging to the lab its <see cref="DownstreamDatasets.LabFile"/> names (the first lab when none). A request names one
/// as <c>unlabelled/NAME</c>; <see cref="Check"/> refuses a path outside that folder, another lab's or a missing folder,
/// symbolic links (the folder or anything in it: a run reads only files inside the data root) and a folder without
/// NIfTI images, each with a message naming the path.
/// </summary>
public sealed class UnlabelledFolders(DataPaths paths)
{
    public const string Folder = "unlabelled";

    private string Root => Path.GetFullPath(Path.Combine(paths.DataRoot, Folder));

    /// <summary>Relative paths ("unlabelled/NAME") of the lab's folders (links left out), by name.</summary>
    public IReadOnlyList<string> List(string labId)
    {
        if (!Directory.Exists(Root)) return [];
        return [.. Directory.GetDirectories(Root).Where(d => new DirectoryInfo(d).LinkTarget is null && DownstreamDatasets.LabOf(d) == labId)
            .Order(StringComparer.Ordinal).Select(d => $"{Folder}/{Path.GetFileName(d)}")];
    }

    /// <summary>True for a path naming a folder under unlabelled/ (so the request is checked here, not as a downstream dataset).</summary>
    public static bool Names(string? relative) => relative?.StartsWith(Folder + "/", StringComparison.Ordinal) == true;

    /// <summary>The absolute folder of <paramref name="relative"/> for the lab, or the problem with it (field "Source").</summary>
    public (string? Folder, string? Problem) Check(string relative, string labId)
    {
        var full = Path.GetFullPath(Path.Combine(paths.DataRoot, relative));
        if (!string.Equals(Path.GetDirectoryName(full), Root, StringComparison.Ordinal))
            return (null, $"Source: '{relative}' is outside the lab's unlabelled data folder: name a folder directly under '{Folder}/' (e.g. '{Folder}/ct-scans').");
        var info = new DirectoryInfo(full);
        if (info.LinkTarget is not null)
            return (null, $"Source: '{relative}' is a symbolic link; links are refused so a run reads only files inside the data root.");
        if (!info.Exists || DownstreamDatasets.LabOf(full) != labId)
            return (null, $"Source: '{relative}' does not exist (no such folder of your lab under '{Folder}/').");
        if (FirstLink(info) is { } link)
            return (null, $"Source: '{relative}' contains a symbolic link ('{Path.GetRelativePath(full, link).Replace(Path.DirectorySeparatorChar, '/')}'); links are refused so a run reads only files inside the data root.");
        if (NiftiImageFolder.List(full).Length == 0)
            return (null, $"Source: '{relative}' holds no NIfTI images (.nii or .nii.gz).");
        return (full, null);
    }

    /// <summary>The first link met walking the folder (links are not followed), or null.</summary>
    private static string? FirstLink(DirectoryInfo folder)
    {
        foreach (var entry in folder.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.LinkTarget is not null) return entry.FullName;
            if (entry is DirectoryInfo sub && FirstLink(sub) is { } inner) return inner;
        }
        return null;
    }
}

namespace MedSeg.Core.Datasets.Msd;

/// <summary>
/// Imports an MSD or nnU-Net v2 dataset (a folder, or a .zip / .tar / .tar.gz / .tgz of one, see <see cref="DatasetArchive"/>) into a new folder: validates first with
/// <see cref="MsdDatasetValidator"/>, then copies dataset.json and every referenced image and label (same
/// relative layout; with <see cref="DatasetValidationOptions.ImageChannel"/> one channel of 4-D images, see
/// <see cref="ChannelSelection"/>) and writes <see cref="DatasetSplit.FileName"/>. All work happens in a hidden staging
/// folder beside the target that becomes the target by one rename at the end, so a failed or refused import
/// leaves no target folder and no staging folder behind.
/// </summary>
public static class MsdImporter
{
    /// <param name="extraFiles">Further files (name → text) written into the dataset before it appears at the target, e.g. the portal's lab marker.</param>
    public static MsdImportResult Import(string source, string targetDir, SplitOptions? split = null, DatasetValidationOptions? validation = null,
        IReadOnlyDictionary<string, string>? extraFiles = null)
    {
        split ??= new SplitOptions();
        if (validation?.ImageChannel is < 0)
            throw new DatasetImportException($"Image channel (--channel) must be 0 or more, got {validation.ImageChannel}");
        string target = Path.GetFullPath(targetDir.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (Directory.Exists(target) || File.Exists(target))
            throw new DatasetImportException($"{target}: already exists; choose a new target folder");
        bool isArchive = File.Exists(source) && DatasetArchive.IsArchive(source);
        if (!isArchive && !Directory.Exists(source))
            throw new DatasetImportException(File.Exists(source)
                ? $"{source}: not a folder or an archive ({string.Join(", ", DatasetArchive.Extensions)})"
                : $"{source}: no such folder or archive ({string.Join(", ", DatasetArchive.Extensions)})");

        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        // Machine and process in the name: a portal restarted after a crash removes the staging of dead processes.
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.import-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            string root = isArchive ? Extract(source, Path.Combine(staging, "source"), validation?.Limits ?? ImportLimits.Default) : source;
            var report = MsdDatasetValidator.Validate(root, validation);
            if (!report.IsValid)
                throw new DatasetImportException(
                    $"{source}: not imported, {report.Problems.Count} problem(s):{Environment.NewLine}"
                    + string.Join(Environment.NewLine, report.Problems.Select(p => "  " + p)), report.Problems);
            DatasetSplit cases;
            try { cases = DatasetSplit.Create(report.Cases.Select(c => c.Id).ToList(), split); }
            catch (ArgumentException e) { throw new DatasetImportException($"{source}: not imported: {e.Message}"); }

            string output = Path.Combine(staging, "dataset");
            var images = report.Cases.SelectMany(c => c.Images).Concat(report.TestImages).ToHashSet(StringComparer.Ordinal);
            var files = report.Cases.SelectMany(c => c.Images.Append(c.Label)).Concat(report.TestImages).Prepend(DatasetDescription.JsonName);
            int? channel = validation?.ImageChannel;
            foreach (string relative in files.Distinct(StringComparer.Ordinal))
            {
                string from = Path.Combine(root, relative), to = Path.Combine(output, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                if (channel is int c && images.Contains(relative)) ChannelSelection.WriteImage(from, to, c);
                else if (channel is int k && relative == DatasetDescription.JsonName) ChannelSelection.WriteDatasetJson(from, to, k);
                else if (isArchive) File.Move(from, to);
                else File.Copy(from, to);
            }
            File.WriteAllText(Path.Combine(output, DatasetSplit.FileName), cases.ToJson());
            foreach (var (name, text) in extraFiles ?? new Dictionary<string, string>())
                File.WriteAllText(Path.Combine(output, Path.GetFileName(name)), text);
            Directory.Move(output, target);
            return new MsdImportResult(target, report with { Directory = target }, cases);
        }
        finally
        {
            try { Directory.Delete(staging, recursive: true); }
            catch (DirectoryNotFoundException) { }
        }
    }

    /// <summary>Extracts the archive and returns the folder holding dataset.json: the archive's top level or its single top-level folder.</summary>
    private static string Extract(string archive, string into, ImportLimits limits)
    {
        DatasetArchive.Extract(archive, into, limits);
        if (File.Exists(Path.Combine(into, DatasetDescription.JsonName))) return into;
        var folders = Directory.GetDirectories(into).Where(d => !Path.GetFileName(d).StartsWith("__MACOSX", StringComparison.Ordinal)).ToList();
        if (folders.Count == 1 && File.Exists(Path.Combine(folders[0], DatasetDescription.JsonName))) return folders[0];
        throw new DatasetImportException($"{archive}: no {DatasetDescription.JsonName} at the top of the archive or in its single top-level folder");
    }
}

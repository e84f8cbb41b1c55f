using System.Formats.Tar;
using System.IO.Compression;

namespace MedSeg.Core.Datasets.Msd;

/// <summary>
/// Extracts a dataset archive — .zip, .tar (the MSD download format), .tar.gz or .tgz — into a folder. Every entry is
/// checked before anything is written for it: an entry whose path is absolute or leaves the folder (".."), and any
/// link or device entry, is refused with a <see cref="DatasetImportException"/> naming the entry. The caller extracts
/// into a staging folder it deletes on failure, so a refused archive leaves nothing behind. Sizes are bounded by
/// <see cref="ImportLimits"/> while streaming (declared sizes first, then the bytes actually written, then the ratio of
/// expanded to compressed bytes read so far), so a decompression bomb is refused after at most a few MB written.
/// </summary>
public static class DatasetArchive
{
    public static readonly string[] Extensions = [".zip", ".tar", ".tar.gz", ".tgz"];

    /// <summary>True when <paramref name="path"/> ends in one of <see cref="Extensions"/> (case-insensitive).</summary>
    public static bool IsArchive(string path) => Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    public static void Extract(string archive, string into, ImportLimits? limits = null)
    {
        Directory.CreateDirectory(into);
        var root = Path.GetFullPath(into);
        var budget = new ExpansionBudget(archive, limits ?? ImportLimits.Default);
        if (archive.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) ExtractZip(archive, root, budget);
        else ExtractTar(archive, root, budget);
    }

    private static void ExtractZip(string archive, string root, ExpansionBudget budget)
    {
        try
        {
            using var zip = ZipFile.OpenRead(archive);
            foreach (var entry in zip.Entries)
            {
                string target = Target(archive, root, entry.FullName);
                if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\')) { Directory.CreateDirectory(target); continue; }
                budget.Declared(entry.FullName, entry.Length, entry.CompressedLength);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var source = entry.Open();
                // A zip's compressed bytes are known per entry: the ratio is judged against those read so far.
                long compressedBefore = budget.Compressed;
                Write(archive, entry.FullName, source, target, budget, () => compressedBefore + entry.CompressedLength);
            }
        }
        catch (InvalidDataException e) { throw new DatasetImportException($"{archive}: not a readable .zip archive ({e.Message})"); }
    }

    private static void ExtractTar(string archive, string root, ExpansionBudget tarBudget)
    {
        try
        {
            using var file = File.OpenRead(archive);
            var budget = tarBudget;
            bool gzip = !archive.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new TarReader(stream);
            while (reader.GetNextEntry() is { } entry)
            {
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(Target(archive, root, entry.Name));
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        string target = Target(archive, root, entry.Name);
                        budget.Declared(entry.Name, entry.Length, compressed: null);
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        if (entry.DataStream is { } data) Write(archive, entry.Name, data, target, budget, () => file.Position);
                        else Create(archive, entry.Name, target).Dispose();
                        break;
                    case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                        break; // metadata only
                    default:
                        throw new DatasetImportException(
                            $"{archive}: entry '{entry.Name}' is a {entry.EntryType} entry; only files and folders can be imported");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            string kind = archive.EndsWith(".tar", StringComparison.OrdinalIgnoreCase) ? ".tar" : ".tar.gz";
            throw new DatasetImportException($"{archive}: not a readable {kind} archive ({e.Message})");
        }
    }

    /// <summary>Streams one entry to its file, counting every byte against the budget; a duplicate entry is refused by name.</summary>
    private static void Write(string archive, string entryName, Stream source, string target, ExpansionBudget budget, Func<long> compressedSoFar)
    {
        using var output = Create(archive, entryName, target);
        var buffer = new byte[81920];
        long written = 0;
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            written += read;
            budget.Expanded(entryName, written, read, compressedSoFar());
            output.Write(buffer, 0, read);
        }
        budget.EntryDone(compressedSoFar());
    }

    private static FileStream Create(string archive, string entryName, string target)
    {
        try { return new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None); }
        catch (IOException) when (File.Exists(target) || Directory.Exists(target))
        {
            throw new DatasetImportException($"{archive}: entry '{entryName}' appears more than once; refusing the archive");
        }
    }

    /// <summary>The absolute path of an entry inside <paramref name="root"/>, or a refusal naming the entry.</summary>
    private static string Target(string archive, string root, string entryName)
    {
        string name = entryName.Replace('\\', '/');
        string full = Path.GetFullPath(Path.Combine(root, name));
        string prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        bool inside = full.StartsWith(prefix, StringComparison.Ordinal) || full == root;
        if (Path.IsPathRooted(name) || !inside)
            throw new DatasetImportException($"{archive}: entry '{entryName}' would be written outside the dataset folder; refusing the archive");
        return full;
    }
}

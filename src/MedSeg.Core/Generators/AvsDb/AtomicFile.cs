namespace MedSeg.Core.Generators.AvsDb;

/// <summary>Writes a text file under a temporary name and renames it, so readers never see half a file.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string content)
    {
        string temp = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllText(temp, content);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    public static void WriteAllLines(string path, IEnumerable<string> lines)
    {
        string temp = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllLines(temp, lines);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Removes temporaries left by an earlier run that was killed mid-write.</summary>
    public static void DeleteStaleTemporaries(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var f in Directory.EnumerateFiles(directory, "*.tmp-*")) File.Delete(f);
    }
}

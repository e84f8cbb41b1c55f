using System.Text;

namespace MedSeg.Core.IO;

/// <summary>
/// Writes a file under a temporary sibling name (<c>&lt;path&gt;.tmp-&lt;guid&gt;</c>, the pattern NiftiWriter and
/// PngWriter use too) and renames it over the target, so readers never see half a file. The one atomic writer of Core
/// and Training (dataset manifests, run config/status, metrics, reports).
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteAllText(string path, string text) => Write(path, s => s.Write(Utf8.GetBytes(text)));

    public static void WriteAllLines(string path, IEnumerable<string> lines) => Write(path, s =>
    {
        using var writer = new StreamWriter(s, Utf8, leaveOpen: true);
        foreach (var line in lines) writer.WriteLine(line);
    });

    /// <summary>Creates the folder if needed, lets <paramref name="write"/> fill the temporary, flushes it to disk, renames.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(fs);
                fs.Flush(true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Removes temporaries left in <paramref name="directory"/> by an earlier writer that was killed mid-write.</summary>
    public static void DeleteStaleTemporaries(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var f in Directory.EnumerateFiles(directory, "*.tmp-*")) File.Delete(f);
    }
}

namespace MedSeg.Core.Generators.Phantom;

/// <summary>Writes a text file under a temporary name and renames it, so readers never see half a file.</summary>
internal static class AtomicTextFile
{
    public static void Write(string path, string content)
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
}

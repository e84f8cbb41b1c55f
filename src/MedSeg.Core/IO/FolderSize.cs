namespace MedSeg.Core.IO;

/// <summary>
/// The bytes of the files under a folder while writers may be at work in it. A writer's temporary (see
/// <see cref="AtomicFile"/>) can be renamed between the listing and the size lookup, which throws
/// <see cref="FileNotFoundException"/>; such a file is skipped (its bytes are counted under its final name, or are gone).
/// </summary>
public static class FolderSize
{
    // Dot files count (the default options skip them as hidden on Unix); links are not followed (no cycles, no bytes
    // counted twice or outside the folder).
    private static readonly EnumerationOptions Flat = new() { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
    private static readonly EnumerationOptions Recursive = new() { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true, RecurseSubdirectories = true };

    /// <summary>Sum of file lengths in <paramref name="directory"/> (and below it when <paramref name="recursive"/>); 0 when it does not exist.</summary>
    public static long Of(string directory, bool recursive = false)
    {
        if (!Directory.Exists(directory)) return 0;
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", recursive ? Recursive : Flat))
            {
                try { total += file.Length; }
                catch (IOException) { } // renamed or deleted since it was listed
            }
        }
        catch (DirectoryNotFoundException) { } // the folder (or a subfolder) went away while listed
        return total;
    }
}

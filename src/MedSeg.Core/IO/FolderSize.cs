namespace MedSeg.Core.IO;

/// <summary>
/// The bytes of the files under a folder while writers may be at work in it. A writer's temporary (see
/// <see cref="AtomicFile"/>) can be renamed between the listing and the size lookup, which throws
/// <see cref="FileNotFoundException"/>; such a file is skipped (its bytes are counted under its final name, or are gone).
/// </summary>
public static class FolderSize
{
    // AttributesToSkip = 0: dot files count as on disk (the default options would skip them as hidden on Unix).
    private static readonly EnumerationOptions Flat = new() { AttributesToSkip = 0, IgnoreInaccessible = true };
    private static readonly EnumerationOptions Recursive = new() { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = true };

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
                catch (FileNotFoundException) { } // renamed or deleted since it was listed
            }
        }
        catch (DirectoryNotFoundException) { } // the folder (or a subfolder) went away while listed
        return total;
    }
}

namespace MedSeg.Training.Natives;

/// <summary>The libtorch this application carries itself (NuGet natives copied beside it), if any.</summary>
public static class BundledNatives
{
    /// <summary>
    /// Path of the application's own <c>libtorch_cpu.so</c> — in its folder or in a native-asset folder the host
    /// probes (<c>NATIVE_DLL_SEARCH_DIRECTORIES</c>, e.g. <c>runtimes/linux-x64/native</c>) — or null for a natives-free build.
    /// </summary>
    public static string? Find()
    {
        var folders = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Prepend(AppContext.BaseDirectory);
        return folders.Select(f => Path.Combine(f, "libtorch_cpu.so")).FirstOrDefault(File.Exists);
    }
}

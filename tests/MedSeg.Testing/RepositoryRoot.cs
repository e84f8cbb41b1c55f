namespace MedSeg.Testing;

public static class RepositoryRoot
{
    /// <summary>The folder holding MedSeg.Web.sln, found upwards from the test binaries.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "MedSeg.Web.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"MedSeg.Web.sln not found above {AppContext.BaseDirectory}");
    }
}

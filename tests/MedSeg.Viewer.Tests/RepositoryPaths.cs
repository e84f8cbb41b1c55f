namespace MedSeg.Viewer.Tests;

public static class RepositoryPaths
{
    /// <summary>The folder holding MedSeg.Web.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedSeg.Web.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"MedSeg.Web.sln not found above {AppContext.BaseDirectory}");
    }
}

namespace MedSeg.Web.Infrastructure;

/// <summary>
/// Finds the repository root (the folder holding <c>MedSeg.Web.sln</c>), which is the portal's content root:
/// <c>appsettings.json</c>, <c>wwwroot/</c>, <c>database/</c> and <c>data/</c> all live there.
/// </summary>
public static class RepositoryRoot
{
    /// <summary>Environment variable that overrides the search (an absolute folder).</summary>
    public const string OverrideVariable = "MEDSEG_ROOT";

    public const string MarkerFile = "MedSeg.Web.sln";

    /// <summary>
    /// The override if set; else the first folder with <see cref="MarkerFile"/> walking up from the current
    /// directory, then from <see cref="AppContext.BaseDirectory"/>; else the binaries' folder (published app,
    /// whose copied appsettings.json is then used).
    /// </summary>
    public static string Find()
    {
        var overridden = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            if (!Directory.Exists(overridden))
                throw new InvalidOperationException($"{OverrideVariable}='{overridden}' is not an existing folder.");
            return Path.GetFullPath(overridden);
        }
        return WalkUp(Directory.GetCurrentDirectory()) ?? WalkUp(AppContext.BaseDirectory) ?? AppContext.BaseDirectory;
    }

    private static string? WalkUp(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, MarkerFile)))
                return dir.FullName;
        return null;
    }

    public static WebApplicationOptions CreateWebApplicationOptions(string[] args)
    {
        var root = Find();
        return new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = root,
            WebRootPath = Path.Combine(root, "wwwroot"),
            // The content root is not the project folder, so name the assembly whose static web assets we serve.
            ApplicationName = typeof(RepositoryRoot).Assembly.GetName().Name,
        };
    }
}

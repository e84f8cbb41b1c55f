namespace MedSeg.Training.Tests;

/// <summary>
/// Paths of the shared MONAI reference fixtures (read-only, see the README beside them). Found through
/// MEDSEG_MONAI_FIXTURES, else the first <c>shared/fixtures/monai</c> folder beside the test binaries or one of
/// their parent folders (the workplace and CI keep <c>shared/</c> next to the repository clone).
/// </summary>
public static class Fixtures
{
    private const string Relative = "shared/fixtures/monai";

    public static string Directory { get; } = Locate();

    public static string Unetr => Path.Combine(Directory, "unetr_h96_32.safetensors");
    public static string SwinUnetr => Path.Combine(Directory, "swin_unetr_f12_64.safetensors");

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("MEDSEG_MONAI_FIXTURES");
        if (!string.IsNullOrEmpty(configured)) return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, Relative);
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"MONAI fixtures not found: no '{Relative}' above {AppContext.BaseDirectory}; set MEDSEG_MONAI_FIXTURES.");
    }
}

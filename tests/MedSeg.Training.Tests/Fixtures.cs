namespace MedSeg.Training.Tests;

/// <summary>
/// Paths of the reference fixtures kept in the repository under <c>tests/fixtures</c> (see the README there).
/// Found by walking up from the test binaries to the repository root; MEDSEG_MONAI_FIXTURES overrides the MONAI folder.
/// </summary>
public static class Fixtures
{
    private const string Relative = "tests/fixtures";

    /// <summary>The repository's <c>tests/fixtures</c> folder.</summary>
    public static string Root { get; } = Locate();

    /// <summary>MONAI fixtures (networks, losses, conventions).</summary>
    public static string Directory { get; } =
        Environment.GetEnvironmentVariable("MEDSEG_MONAI_FIXTURES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Root, "monai");

    public static string Unetr => Path.Combine(Directory, "unetr_h96_32.safetensors");
    public static string SwinUnetr => Path.Combine(Directory, "swin_unetr_f12_64.safetensors");
    public static string Conventions => Path.Combine(Directory, "conventions");
    public static string PctNet => Path.Combine(Root, "pctnet");
    public static string Context => Path.Combine(Root, "context");

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, Relative);
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"Reference fixtures not found: no '{Relative}' above {AppContext.BaseDirectory}.");
    }
}

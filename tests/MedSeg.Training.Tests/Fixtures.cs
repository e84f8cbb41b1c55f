namespace MedSeg.Training.Tests;

/// <summary>Paths of the shared MONAI reference fixtures (read-only, see the README beside them).</summary>
public static class Fixtures
{
    public const string Directory = "/work/shared/fixtures/monai";
    public static string Unetr => Path.Combine(Directory, "unetr_h96_32.safetensors");
    public static string SwinUnetr => Path.Combine(Directory, "swin_unetr_f12_64.safetensors");
}

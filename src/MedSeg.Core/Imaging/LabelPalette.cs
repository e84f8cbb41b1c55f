namespace MedSeg.Core.Imaging;

/// <summary>
/// Fixed label colours: the first 8 of Sasha Trubetskoy's "20 distinct colours", then 12 picked greedily
/// as farthest (in RGB) from those before, among saturated, bright colours (no greys, which would look
/// like the image). Every pair is at least 90 apart in RGB. Label 0 is background and has no colour;
/// label v ≥ 1 gets entry (v − 1) mod 20, so labels 1 and 21 share a colour.
/// </summary>
public static class LabelPalette
{
    public static IReadOnlyList<(byte R, byte G, byte B)> Colors { get; } =
    [
        (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
        (145, 30, 180), (70, 240, 240), (240, 50, 230), (0, 0, 128), (128, 64, 0),
        (160, 224, 96), (0, 128, 0), (32, 32, 224), (0, 224, 160), (128, 192, 0),
        (64, 96, 128), (96, 128, 224), (192, 96, 128), (0, 224, 0), (128, 0, 96),
    ];

    /// <summary>Colour of a (non-zero) label; negative labels wrap the same way.</summary>
    public static (byte R, byte G, byte B) ColorOf(long label)
    {
        int n = Colors.Count;
        return Colors[(int)(((label - 1) % n + n) % n)];
    }
}

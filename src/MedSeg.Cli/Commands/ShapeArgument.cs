using System.Globalization;

namespace MedSeg.Cli.Commands;

/// <summary>A benchmark's `--size`: one edge (a cube) or D,H,W.</summary>
internal static class ShapeArgument
{
    public static int[] Parse(string? text, string option, int min, int max)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        var sizes = parts.Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max ? v : -1).ToArray();
        if (parts.Length is not (1 or 3) || sizes.Contains(-1))
            throw new UsageException($"{option} must be one edge or D,H,W, each in {min}..{max}, got '{text}'");
        return sizes.Length == 1 ? [sizes[0], sizes[0], sizes[0]] : sizes;
    }
}

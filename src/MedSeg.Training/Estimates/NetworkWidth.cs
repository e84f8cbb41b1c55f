using System.Globalization;
using System.Text.RegularExpressions;
using MedSeg.Training.Fdsl;

namespace MedSeg.Training.Estimates;

/// <summary>
/// The width activations scale with, per family: SwinUNETR and UNETR their <c>feature_size</c>; BasicUNet its
/// <c>features</c> weighted by the voxels of their level (f0 + f5 at full resolution, f1 at 1/8, f2 at 1/64, …), so a
/// network with other proportions than MONAI's default is still sized by what it allocates. Null for other networks.
/// </summary>
public static partial class NetworkWidth
{
    public static double? Of(ModelChoice model)
    {
        var family = MemoryCalibration.ByFamily.Keys.FirstOrDefault(k => k.Equals(model.Name, StringComparison.OrdinalIgnoreCase));
        return family?.ToUpperInvariant() switch
        {
            "SWINUNETR" or "UNETR" => Integers(model, "feature_size") is [var f] ? f : null,
            "BASICUNET" => Integers(model, "features") is { } fs ? BasicUNet(fs) : BasicUNet([32, 32, 64, 128, 256, 32]),
            _ => null,
        };
    }

    /// <summary>The family <paramref name="model"/> is calibrated under, or null.</summary>
    public static MemoryCalibration.Coefficients? Coefficients(ModelChoice model) =>
        MemoryCalibration.ByFamily.TryGetValue(model.Name, out var c) ? c : null;

    private static double? BasicUNet(long[] f) => f.Length == 6
        ? f[0] + f[5] + f[1] / 8.0 + f[2] / 64.0 + f[3] / 512.0 + f[4] / 4096.0
        : null;

    private static long[]? Integers(ModelChoice model, string key) =>
        model.Args.TryGetValue(key, out var text)
            ? [.. Digits().Matches(text).Select(m => long.Parse(m.Value, CultureInfo.InvariantCulture))]
            : null;

    [GeneratedRegex("[0-9]{1,9}")]
    private static partial Regex Digits();
}

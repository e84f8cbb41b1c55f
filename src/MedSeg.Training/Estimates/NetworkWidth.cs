using System.Globalization;
using System.Text.RegularExpressions;
using MedSeg.Training.Fdsl;

namespace MedSeg.Training.Estimates;

/// <summary>
/// The width activations scale with, per family: SwinUNETR and UNETR their <c>feature_size</c>; BasicUNet its
/// <c>features</c> weighted by the voxels of their level (f0 + f5 at full resolution, f1 at 1/8, f2 at 1/64, …), so a
/// network with other proportions than MONAI's default is still sized by what it allocates; PCT-Net likewise by its
/// <c>feature_chns</c> and <c>resolution_mode</c>. Null for other networks.
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
            "PCTNET" => PctNet(Integers(model, "feature_chns") ?? Networks.Nets.PctNet.CodeDefaultFeatures,
                Integers(model, "resolution_mode") is [var mode] ? mode : 0),
            _ => null,
        };
    }

    /// <summary>The family <paramref name="model"/> is calibrated under, or null.</summary>
    public static MemoryCalibration.Coefficients? Coefficients(ModelChoice model) =>
        MemoryCalibration.ByFamily.TryGetValue(model.Name, out var c) ? c : null;

    private static double? BasicUNet(long[] f) => f.Length == 6
        ? f[0] + f[5] + f[1] / 8.0 + f[2] / 64.0 + f[3] / 512.0 + f[4] / 4096.0
        : null;

    /// <summary>
    /// PCT-Net: c0 at full resolution, c1 after the embedding's first down-sampling (2D in modes 1 and 2: ¼ of the voxels;
    /// 3D in mode 0: ⅛), the pyramid's c2, c3, c4 at 1/scale, 1/(8·scale), 1/(64·scale) (scale = 64, 32, 16 voxels for modes 0, 1, 2).
    /// </summary>
    private static double? PctNet(long[] c, long mode)
    {
        if (c.Length != 5 || mode is < 0 or > 2) return null;
        double level1 = mode == 0 ? 1 / 8.0 : 1 / 4.0;
        double pyramid = 1.0 / Networks.Nets.PctNet.Scale((int)mode).Aggregate(1L, (a, b) => a * b);
        return c[0] + c[1] * level1 + c[2] * pyramid + c[3] * pyramid / 8 + c[4] * pyramid / 64;
    }

    private static long[]? Integers(ModelChoice model, string key) =>
        model.Args.TryGetValue(key, out var text)
            ? [.. Digits().Matches(text).Select(m => long.Parse(m.Value, CultureInfo.InvariantCulture))]
            : null;

    [GeneratedRegex("[0-9]{1,9}")]
    private static partial Regex Digits();
}

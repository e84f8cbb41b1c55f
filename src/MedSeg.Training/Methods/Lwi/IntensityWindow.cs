using System.Globalization;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// Clips intensities to [<see cref="Min"/>, <see cref="Max"/>] and scales them to [0, 1] (MONAI ScaleIntensityRange with
/// clip), so reconstruction losses see CT in a fixed range. Text form "min,max" (e.g. "-175,250") or "none".
/// </summary>
public sealed record IntensityWindow(double Min, double Max)
{
    /// <summary>The LWI authors' abdominal CT window.</summary>
    public static IntensityWindow AbdominalCt => new(-175, 250);

    /// <summary>Swin UNETR pretraining's CT range (−1000..1000 HU → 0..1).</summary>
    public static IntensityWindow FullCt => new(-1000, 1000);

    public void ApplyInPlace(Span<float> values)
    {
        float lo = (float)Min, range = (float)(Max - Min);
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            // NaN (a broken voxel) becomes 0 rather than poisoning the loss.
            values[i] = float.IsNaN(v) ? 0f : Math.Clamp((v - lo) / range, 0f, 1f);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Min},{Max}");

    /// <summary>Parses "min,max" or "none" (null); the message names <paramref name="field"/> and the value.</summary>
    public static IntensityWindow? Parse(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = text.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lo)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var hi)
            && double.IsFinite(lo) && double.IsFinite(hi) && hi > lo)
            return new IntensityWindow(lo, hi);
        throw new ArgumentException($"{field} must be 'min,max' with finite min < max (e.g. -175,250) or 'none', got '{text}'.");
    }
}

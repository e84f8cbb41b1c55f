using System.Globalization;
using System.Text.Json;
using MedSeg.Training.Checkpoints;

namespace MedSeg.Training.Fdsl;

/// <summary>
/// A resumed FDSL run must keep the recipe values its config.json records that the checkpoint does not (the loop checks
/// batch, crop, seed, schedule and axis order against state.json). Gradient clipping is one: its default changed from
/// 1.0 to off, so an older run resumed with default flags would silently continue under another recipe.
/// </summary>
internal static class ResumeRecipe
{
    /// <exception cref="ArgumentException">The session contradicts the run's record; the message names the fix.</exception>
    public static void Check(FdslOptions o)
    {
        if (!o.Resume || RunAxisOrder.Resumed(o.OutputDir) is null) return;
        var config = Path.Combine(o.OutputDir, "config.json");
        if (!File.Exists(config)) return;
        double? recorded;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(config));
            if (!doc.RootElement.TryGetProperty("options", out var options) || !options.TryGetProperty("maxGradNorm", out var clip)) return;
            recorded = clip.ValueKind == JsonValueKind.Number ? clip.GetDouble() : null;
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException) { return; } // the loop reports unreadable runs
        if (Effective(recorded) == Effective(o.MaxGradNorm)) return;
        throw new ArgumentException(
            $"FdslOptions.MaxGradNorm (--max-grad-norm) is {Describe(o.MaxGradNorm)}, but run '{Path.GetFileName(Path.TrimEndingDirectorySeparator(o.OutputDir))}' "
            + $"was trained with {Describe(recorded)} (config.json). Resume with --max-grad-norm {(Effective(recorded) ?? 0).ToString(CultureInfo.InvariantCulture)}.");
    }

    private static double? Effective(double? clip) => clip is > 0 ? clip : null;

    private static string Describe(double? clip) =>
        Effective(clip) is double c ? "clipping at " + c.ToString(CultureInfo.InvariantCulture) : "no clipping";
}

using System.Text.Json;
using MedSeg.Training.Data;

namespace MedSeg.Training.Fdsl;

/// <summary>
/// How AVS-DB images enter the network during pretraining (<see cref="FdslOptions.InputIntensity"/>). Not fixed by the
/// paper (it publishes no pretraining code), so a recorded choice: <see cref="Unit"/> (default) scales each volume to
/// 0..1, the range downstream inputs get from their CT window; <see cref="Raw"/> feeds the stored values (0/128
/// outlines), as every run did before the rule was recorded.
/// </summary>
public static class InputIntensity
{
    public const string Raw = "raw";
    public const string Unit = "unit";
    public const string Default = Unit;
    /// <summary>The rule of runs whose config.json records none.</summary>
    public const string Legacy = Raw;

    public static bool IsValid(string? value) => value is Raw or Unit;

    /// <summary>The requested rule, else — when resuming — the one the run's config.json records (none: raw), else unit.</summary>
    public static string For(string? requested, string outputDir, bool resume) =>
        requested ?? (resume ? Recorded(outputDir) : null) ?? Default;

    /// <summary>The rule recorded in a run folder that has already trained (config.json and a checkpoint), else null.</summary>
    public static string? Recorded(string outputDir)
    {
        var config = Path.Combine(outputDir, "config.json");
        if (!File.Exists(config) || Checkpoints.RunAxisOrder.Resumed(outputDir) is null) return null; // nothing trained yet
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(config));
            return doc.RootElement.TryGetProperty("inputIntensity", out var v) && v.GetString() is { } s && IsValid(s) ? s : Legacy;
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException) { return null; }
    }

    /// <summary>The source as the network sees it under <paramref name="rule"/>.</summary>
    public static IVolumeSampleSource Apply(IVolumeSampleSource source, string rule) =>
        rule == Unit ? new UnitIntensitySource(source) : source;
}

using System.Globalization;
using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Runs;

/// <summary>The few settings shown beside a run in lists and the leaderboard, read from its config JSON.</summary>
public sealed record RunSettings(int? FeatureSize, int? Crop, int? BatchSize, double? LearningRate, long? Steps, string Data)
{
    public static RunSettings Of(TrainingRun run)
    {
        IReadOnlyDictionary<string, string> c;
        try { c = ConfigDiff.Flatten(run.ConfigJson); }
        catch (System.Text.Json.JsonException) { c = new Dictionary<string, string>(); }
        // BasicUNet has no feature size (its widths are modelArgs.features): a default "featureSize" in its config means nothing.
        var basicUNet = c.TryGetValue("model", out var model) && model.Equals("BasicUNet", StringComparison.OrdinalIgnoreCase);
        return new RunSettings(basicUNet ? null : Int(c, "featureSize"), Int(c, "crop"), Int(c, "batchSize"), Double(c, "learningRate"),
            run.TotalSteps > 0 ? run.TotalSteps : null, RunDataLabel.Of(run));
    }

    public string Summary => string.Join(" · ", new[]
    {
        FeatureSize is { } f ? $"fs {f}" : null,
        Crop is { } c ? $"crop {c}³" : null,
        BatchSize is { } b ? $"batch {b}" : null,
        LearningRate is { } lr ? $"lr {lr.ToString("0.##E+0", CultureInfo.InvariantCulture)}" : null,
        Steps is { } s ? $"{s:N0} steps" : null,
        Data,
    }.Where(s => s is not null));

    private static int? Int(IReadOnlyDictionary<string, string> c, string key) =>
        c.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (int)d : null;

    private static double? Double(IReadOnlyDictionary<string, string> c, string key) =>
        c.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
}

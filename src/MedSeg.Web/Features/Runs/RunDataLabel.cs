using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// What a run trains on, in the words of the pages that show it (run page, grid, leaderboard, config diff): the
/// AVS-DB dataset's name, the labelled dataset of a fine-tune, or "on the fly". Issue 12 point 5: runs showed
/// "dataset 3" and a fine-tune "on the fly".
/// </summary>
public static class RunDataLabel
{
    public static string Of(TrainingRun run)
    {
        if (run.DatasetId is { } id)
            return run.Dataset?.Name is { Length: > 0 } name ? name : $"dataset {id}";
        if (run.Method == TrainingMethods.FineTune)
        {
            var dir = DatasetDir(run.ConfigJson);
            return dir is null ? "labelled dataset" : $"labelled: {dir.Replace('\\', '/').TrimEnd('/').Split('/')[^1]}";
        }
        return "on the fly";
    }

    /// <summary>Just the part of a config that <see cref="Of"/> reads, for pages that carry runs without their configs.</summary>
    public static string ConfigForLabel(string configJson) =>
        DatasetDir(configJson) is { } dir ? System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["datasetDir"] = dir }) : "{}";

    private static string? DatasetDir(string configJson)
    {
        try
        {
            var flat = ConfigDiff.Flatten(configJson);
            return flat.TryGetValue("datasetDir", out var dir) && dir.Length > 0 ? dir : null;
        }
        catch (System.Text.Json.JsonException) { return null; }
    }
}

using System.Text.Json;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Training.Inference;

/// <summary>
/// What a fine-tuning run recorded in its config.json for inference: the preprocessing the network was trained on
/// (<c>preprocessing</c>, the effective options) and the sliding-window overlap of its evaluation (<c>options.overlap</c>).
/// Found from a model file by looking in its folder and up to two folders above (run/, run/checkpoints/,
/// run/checkpoints/best/ or step-N/). Runs without recorded preprocessing (FDSL pretraining, a bare model file) have none.
/// </summary>
public sealed record RecordedPreprocessing(string ConfigPath, PreprocessingOptions Preprocessing, double Overlap)
{
    public const string ConfigFile = "config.json";

    /// <summary>The window size per tensor axis (Z, Y, X): the training patch.</summary>
    public int[] Roi => [Preprocessing.PatchSize[2], Preprocessing.PatchSize[1], Preprocessing.PatchSize[0]];

    /// <summary>The nearest config.json above <paramref name="modelFile"/> if it is a fine-tuning run's; else null.</summary>
    public static RecordedPreprocessing? Find(string modelFile)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(modelFile));
        for (int up = 0; up < 3 && dir is not null; up++, dir = Path.GetDirectoryName(dir))
        {
            var config = Path.Combine(dir, ConfigFile);
            if (File.Exists(config)) return Read(config);
        }
        return null;
    }

    /// <summary>Reads a run's config.json: null when it is not a fine-tuning run; bad fields throw naming the file and field.</summary>
    public static RecordedPreprocessing? Read(string configPath)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(configPath)); }
        catch (JsonException e) { throw new InvalidDataException($"{configPath}: not valid JSON ({e.Message})", e); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("runType", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "finetune")
                return null;
            if (!root.TryGetProperty("preprocessing", out var pre) || pre.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{configPath}: fine-tuning run without a \"preprocessing\" object; cannot repeat its preprocessing.");
            PreprocessingOptions options;
            try { options = PreprocessingOptions.FromJson(pre.GetRawText(), $"{configPath}: preprocessing"); }
            catch (ArgumentException e) { throw new InvalidDataException(e.Message, e); }
            double overlap = 0.5;
            if (root.TryGetProperty("options", out var o) && o.ValueKind == JsonValueKind.Object && o.TryGetProperty("overlap", out var ov))
            {
                if (ov.ValueKind != JsonValueKind.Number || !ov.TryGetDouble(out overlap) || !(overlap >= 0 && overlap < 1))
                    throw new InvalidDataException($"{configPath}: options.overlap must be a number in [0, 1), got {ov.GetRawText()}.");
            }
            return new RecordedPreprocessing(Path.GetFullPath(configPath), options, overlap);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Training.FineTune;

/// <summary>Dice, ASSD and HD95 (mm) of one class; NaN (JSON "NaN") where undefined, e.g. the class is absent from the label.</summary>
public sealed record ClassScore(int Label, string Name, double Dice, double Assd, double Hd95);

public sealed record CaseEvaluation(string Case, string Prediction, IReadOnlyList<ClassScore> Classes, double MeanDice, double MeanAssd, double MeanHd95);

/// <summary>
/// evaluation.json of a fine-tuning run: per case and per class Dice / ASSD / HD95 on the original image grid
/// (spacing-aware, Core's SegmentationEvaluator), their NaN-aware means per class over cases, and the overall means.
/// </summary>
public sealed record FineTuneEvaluation(
    string Split, string Init, bool EncoderOnly, string Model, string Checkpoint, long? CheckpointStep,
    IReadOnlyList<CaseEvaluation> Cases, IReadOnlyList<ClassScore> MeanPerClass, double MeanDice, double MeanAssd, double MeanHd95)
{
    public const string FileName = "evaluation.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static FineTuneEvaluation Read(string runOrFile)
    {
        var path = Directory.Exists(runOrFile) ? Path.Combine(runOrFile, FileName) : runOrFile;
        if (!File.Exists(path)) throw new FileNotFoundException($"No {FileName} at '{Path.GetFullPath(path)}' (has the fine-tuning run completed?).", path);
        try
        {
            return JsonSerializer.Deserialize<FineTuneEvaluation>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"'{path}' is empty.");
        }
        catch (JsonException e) { throw new InvalidDataException($"'{path}' is not a valid {FileName}: {e.Message}", e); }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Core.Metrics;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg evaluate --pred P --label L [--classes 1,2,3] [--json]`: per-class voxel counts, Dice, ASSD and
/// HD95 (mm) of a predicted label volume against the ground truth, MONAI 1.5 conventions
/// (see <see cref="SegmentationEvaluator"/>), plus NaN-aware means.
/// </summary>
public static class EvaluateCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // "NaN" / "Infinity" for empty classes
    };

    public static Command Create()
    {
        var pred = new Option<string>("--pred") { Description = "Predicted label volume (NIfTI).", Required = true };
        var label = new Option<string>("--label") { Description = "Ground-truth label volume (NIfTI); its spacing is used.", Required = true };
        var classes = new Option<string?>("--classes") { Description = "Comma-separated label values (default: 1..largest value present)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("evaluate", "Dice, ASSD and HD95 of a prediction against a label volume, per class.")
        {
            pred, label, classes, json,
        };
        command.Subcommands.Add(EvaluateKnnCommand.Create());
        command.SetAction(parseResult => CommandFailures.Run(parseResult, output =>
        {
            var options = new EvaluationOptions { Classes = ParseClasses(parseResult.GetValue(classes)) };
            EvaluationReport report;
            try
            {
                report = SegmentationEvaluator.EvaluateFiles(parseResult.GetRequiredValue(pred), parseResult.GetRequiredValue(label), options);
            }
            catch (Exception e) when (e is SegmentationMismatchException or LabelValueException)
            {
                throw new UsageException(e.Message);
            }
            output.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(report, Json) : AsTable(report));
            return 0;
        }));
        return command;
    }

    internal static int[]? ParseClasses(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[i]))
                throw new UsageException($"--classes: '{parts[i]}' is not an integer label (expected e.g. 1,2,3)");
        if (result.Length == 0) throw new UsageException("--classes: no label values given");
        return result;
    }

    internal static string AsTable(EvaluationReport r)
    {
        var c = CultureInfo.InvariantCulture;
        var w = new StringWriter(c);
        w.WriteLine($"prediction: {r.Prediction}");
        w.WriteLine($"label:      {r.Label}");
        w.WriteLine($"shape:      {string.Join(" × ", r.Shape)}, spacing {string.Join(" × ", r.Spacing.Select(s => s.ToString("0.######", c)))} mm");
        w.WriteLine($"{"class",6} {"pred voxels",12} {"label voxels",12} {"Dice",8} {"ASSD mm",9} {"HD95 mm",9}");
        foreach (var m in r.Classes)
            w.WriteLine($"{m.Label,6} {m.PredictionVoxels,12} {m.LabelVoxels,12} {F(m.Dice, "0.0000"),8} {F(m.Assd, "0.000"),9} {F(m.Hd95, "0.000"),9}");
        w.Write($"{"mean",6} {"",12} {"",12} {F(r.MeanDice, "0.0000"),8} {F(r.MeanAssd, "0.000"),9} {F(r.MeanHd95, "0.000"),9}");
        return w.ToString();
    }

    private static string F(double v, string format) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : v.ToString(format, CultureInfo.InvariantCulture);
}

using System.Globalization;
using MedSeg.Training.FineTune;

namespace MedSeg.Cli.Commands;

/// <summary>Plain-text tables of fine-tuning evaluations: per case for one run, and one row per run for `medseg compare`.</summary>
internal static class EvaluationTable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Num(double v, string format) => double.IsNaN(v) ? "-" : double.IsPositiveInfinity(v) ? "inf" : v.ToString(format, C);

    /// <summary>Rows: cases then the mean; columns: Dice per class, mean Dice, mean ASSD (mm), mean HD95 (mm).</summary>
    public static void Write(TextWriter w, FineTuneEvaluation e)
    {
        w.WriteLine($"evaluation on {e.Cases.Count} {e.Split} cases ({e.Checkpoint}, step {e.CheckpointStep?.ToString(C) ?? "-"}):");
        var names = e.MeanPerClass.Select(c => c.Name).ToList();
        var header = new[] { "case" }.Concat(names.Select(n => $"Dice {n}")).Concat(["mean Dice", "ASSD mm", "HD95 mm"]).ToList();
        var rows = e.Cases.Select(c => new[] { c.Case }.Concat(c.Classes.Select(s => Num(s.Dice, "F3")))
                .Concat([Num(c.MeanDice, "F4"), Num(c.MeanAssd, "F2"), Num(c.MeanHd95, "F2")]).ToList())
            .Append(new[] { "mean" }.Concat(e.MeanPerClass.Select(s => Num(s.Dice, "F3")))
                .Concat([Num(e.MeanDice, "F4"), Num(e.MeanAssd, "F2"), Num(e.MeanHd95, "F2")]).ToList())
            .ToList();
        Print(w, header, rows);
    }

    public static void Print(TextWriter w, IReadOnlyList<string> header, IReadOnlyList<List<string>> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => i < r.Count ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        w.WriteLine(Line(header));
        w.WriteLine(string.Join("  ", widths.Select(x => new string('-', x))));
        foreach (var r in rows) w.WriteLine(Line(r));
    }
}

namespace MedSeg.Core.Benchmarks;

/// <summary>
/// Metric names of a benchmark: "dice" (mean foreground Dice), "assd" and "hd95" (mm, mean over classes), and
/// "dice:&lt;label&gt;" for one organ. Dice is better higher, distances lower.
/// </summary>
public static class BenchmarkMetric
{
    public const string Dice = "dice";
    public const string Assd = "assd";
    public const string Hd95 = "hd95";
    /// <summary>In a protocol's metrics: also report Dice per organ ("dice:liver", …).</summary>
    public const string DicePerClass = "dice_per_class";

    public static readonly IReadOnlyList<string> Known = [Dice, Assd, Hd95, DicePerClass];

    public static bool HigherIsBetter(string metric) => metric.StartsWith(Dice, StringComparison.Ordinal);

    public static string PerClass(string label) => $"{Dice}:{label}";

    public static string Display(string metric) => metric switch
    {
        Dice => "mean Dice",
        Assd => "ASSD (mm)",
        Hd95 => "HD95 (mm)",
        _ when metric.StartsWith(Dice + ":", StringComparison.Ordinal) => $"Dice {metric[(Dice.Length + 1)..]}",
        _ => metric,
    };
}

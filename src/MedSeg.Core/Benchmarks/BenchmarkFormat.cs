using System.Globalization;

namespace MedSeg.Core.Benchmarks;

/// <summary>How numbers of a benchmark are written: Dice with 3 decimals, distances (mm) with 2; p-values with 2 significant digits.</summary>
public static class BenchmarkFormat
{
    /// <summary>What a "knn-N" column is, for captions.</summary>
    public const string KnnNote = "knn-N: one-shot kNN label transfer from N labelled atlases with the pretrained descriptors, no fine-tuning (paper protocol; mean ± sd over atlas seeds)";

    public static string Value(string metric, double v, string infinity = "∞", string missing = "–") =>
        double.IsNaN(v) ? missing
        : double.IsPositiveInfinity(v) ? infinity
        : double.IsNegativeInfinity(v) ? "-" + infinity
        : v.ToString(BenchmarkMetric.HigherIsBetter(metric) ? "F3" : "F2", CultureInfo.InvariantCulture);

    /// <summary>"0.812 ± 0.013", or just the mean when there is no spread (one seed).</summary>
    public static string MeanSd(BenchmarkCell cell, string plusMinus = " ± ", string infinity = "∞", string missing = "–") =>
        double.IsNaN(cell.Sd) ? Value(cell.Metric, cell.Mean, infinity, missing)
        : Value(cell.Metric, cell.Mean, infinity, missing) + plusMinus + Value(cell.Metric, cell.Sd, infinity, missing);

    /// <summary>"p=0.031 (n=12)", "n=4, too few" or "" (the baseline itself / no test).</summary>
    public static string Test(BenchmarkCell cell) => cell.VsBaseline switch
    {
        null => "",
        { TooFewPairs: true } t => string.Create(CultureInfo.InvariantCulture, $"n={t.Test.NonZero}, too few"),
        { } t when t.PValue is double p => string.Create(CultureInfo.InvariantCulture, $"p={P(p)} (n={t.Test.Pairs})"),
        _ => "",
    };

    public static string P(double p) => p < 0.001 ? p.ToString("0.0E+0", CultureInfo.InvariantCulture) : p.ToString("0.###", CultureInfo.InvariantCulture);
}

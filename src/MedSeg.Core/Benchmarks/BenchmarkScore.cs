namespace MedSeg.Core.Benchmarks;

/// <summary>
/// One metric of one finished cell (method × dataset × budget × seed): the value over the evaluation cases, and the
/// per-case values (case id → value) that the paired test against the baseline uses.
/// </summary>
public sealed record BenchmarkScore(
    string Method, string Dataset, LabelBudget Budget, long Seed, string Metric, double Value,
    IReadOnlyDictionary<string, double>? Cases = null);

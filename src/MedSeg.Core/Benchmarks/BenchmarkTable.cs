namespace MedSeg.Core.Benchmarks;

/// <summary>A column of the comparison table: one downstream dataset at one label budget.</summary>
public sealed record BenchmarkColumn(string Dataset, LabelBudget Budget)
{
    public override string ToString() => $"{Dataset} · {Budget}";
}

/// <summary>The paired test of a cell against the baseline's cell of the same column.</summary>
/// <param name="TooFewPairs">Fewer than <see cref="BenchmarkTable.MinPairsForTest"/> non-zero pairs: no p-value is reported.</param>
public sealed record BaselineComparison(WilcoxonResult Test, bool TooFewPairs)
{
    /// <summary>The p-value, or null when there were too few pairs for a test.</summary>
    public double? PValue => TooFewPairs || double.IsNaN(Test.PValue) ? null : Test.PValue;
}

/// <summary>One table cell: the metric over seeds (mean, sample sd, n), whether it is the column's best, and the test against the baseline.</summary>
public sealed record BenchmarkCell(string Method, string Metric, BenchmarkColumn Column, IReadOnlyList<double> Values, double Mean, double Sd, int N,
    bool Best, BaselineComparison? VsBaseline);

/// <summary>
/// The paper table for one metric: rows = methods, columns = dataset × budget, cells = mean ± sd over seeds of the
/// cell values, the best mean per column (max for Dice, min for distances; ties all best), and a two-sided Wilcoxon
/// signed-rank test of every method against the baseline over the pairs (seed, evaluation case) both have
/// (cell values paired by seed when per-case values are absent). NaN values are left out; ±inf (e.g. ASSD of a missed
/// organ) stay in the mean and drop from the paired test.
/// </summary>
public sealed class BenchmarkTable
{
    /// <summary>
    /// The smallest exact two-sided p with n non-zero pairs is 2/2ⁿ, below 0.05 only from n = 6: with fewer pairs the
    /// test cannot detect anything and the cell is marked instead.
    /// </summary>
    public const int MinPairsForTest = 6;

    public const string DefaultBaseline = "scratch";

    private readonly Dictionary<(string, BenchmarkColumn), BenchmarkCell> _cells;

    private BenchmarkTable(string metric, string? baseline, IReadOnlyList<string> methods, IReadOnlyList<BenchmarkColumn> columns,
        Dictionary<(string, BenchmarkColumn), BenchmarkCell> cells)
    {
        Metric = metric; Baseline = baseline; Methods = methods; Columns = columns; _cells = cells;
    }

    public string Metric { get; }
    /// <summary>The baseline method when present among the scores, else null (no tests).</summary>
    public string? Baseline { get; }
    public IReadOnlyList<string> Methods { get; }
    public IReadOnlyList<BenchmarkColumn> Columns { get; }
    public bool HigherIsBetter => BenchmarkMetric.HigherIsBetter(Metric);

    public BenchmarkCell? Cell(string method, BenchmarkColumn column) => _cells.GetValueOrDefault((method, column));

    public IEnumerable<BenchmarkCell> Cells => _cells.Values;

    /// <param name="methodOrder">Row order; methods not listed follow in first-seen order. Default: first seen, baseline first.</param>
    public static BenchmarkTable Build(IEnumerable<BenchmarkScore> scores, string metric, string? baseline = DefaultBaseline,
        IReadOnlyList<string>? methodOrder = null)
    {
        var rows = scores.Where(s => s.Metric == metric).ToList();
        var seen = rows.Select(s => s.Method).Distinct().ToList();
        var methods = (methodOrder ?? []).Where(seen.Contains).Concat(seen.Where(m => !(methodOrder ?? []).Contains(m))).ToList();
        if (methodOrder is null && baseline is not null && methods.Remove(baseline)) methods.Insert(0, baseline);
        var columns = rows.Select(s => new BenchmarkColumn(s.Dataset, s.Budget)).Distinct()
            .OrderBy(c => c.Dataset, StringComparer.Ordinal).ThenBy(c => c.Budget).ToList();
        var groups = rows.GroupBy(s => (s.Method, new BenchmarkColumn(s.Dataset, s.Budget)))
            .ToDictionary(g => g.Key, g => g.GroupBy(s => s.Seed).Select(s => s.Last()).OrderBy(s => s.Seed).ToList());
        string? usedBaseline = baseline is not null && methods.Contains(baseline) ? baseline : null;
        bool higher = BenchmarkMetric.HigherIsBetter(metric);

        var cells = new Dictionary<(string, BenchmarkColumn), BenchmarkCell>();
        foreach (var column in columns)
        {
            groups.TryGetValue((usedBaseline ?? "", column), out var baseScores);
            var inColumn = new List<BenchmarkCell>();
            foreach (var method in methods)
            {
                if (!groups.TryGetValue((method, column), out var seeds)) continue;
                var values = seeds.Select(s => s.Value).ToList();
                var (mean, sd, n) = Summarise(values);
                BaselineComparison? test = null;
                if (baseScores is not null && method != usedBaseline)
                {
                    var result = WilcoxonSignedRank.Test(PairedDifferences(seeds, baseScores));
                    test = new BaselineComparison(result, result.NonZero < MinPairsForTest);
                }
                inColumn.Add(new BenchmarkCell(method, metric, column, values, mean, sd, n, false, test));
            }
            var finite = inColumn.Where(c => !double.IsNaN(c.Mean)).ToList();
            double best = finite.Count == 0 ? double.NaN : higher ? finite.Max(c => c.Mean) : finite.Min(c => c.Mean);
            foreach (var cell in inColumn)
                cells[(cell.Method, column)] = cell with { Best = finite.Count > 0 && cell.Mean == best };
        }
        return new BenchmarkTable(metric, usedBaseline, methods, columns, cells);
    }

    /// <summary>Mean, sample standard deviation (n − 1; NaN below 2 values) and count of the non-NaN values.</summary>
    public static (double Mean, double Sd, int N) Summarise(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).ToList();
        if (v.Count == 0) return (double.NaN, double.NaN, 0);
        double mean = v.Average();
        if (v.Count < 2 || !double.IsFinite(mean)) return (mean, double.NaN, v.Count);
        double ss = v.Sum(x => (x - mean) * (x - mean));
        return (mean, Math.Sqrt(ss / (v.Count - 1)), v.Count);
    }

    /// <summary>method − baseline over the (seed, case) pairs both have; per seed by cell value when a side has no per-case values.</summary>
    private static IEnumerable<double> PairedDifferences(IReadOnlyList<BenchmarkScore> method, IReadOnlyList<BenchmarkScore> baseline)
    {
        var bySeed = baseline.ToDictionary(s => s.Seed);
        foreach (var m in method)
        {
            if (!bySeed.TryGetValue(m.Seed, out var b)) continue;
            if (m.Cases is { Count: > 0 } mc && b.Cases is { Count: > 0 } bc)
            {
                foreach (var (id, value) in mc.OrderBy(c => c.Key, StringComparer.Ordinal))
                    if (bc.TryGetValue(id, out var other)) yield return value - other;
            }
            else yield return m.Value - b.Value;
        }
    }
}

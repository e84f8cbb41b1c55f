namespace MedSeg.Core.Benchmarks;

/// <summary>Outcome of a two-sided Wilcoxon signed-rank test.</summary>
/// <param name="Pairs">Pairs with both values finite (NaN/inf pairs are dropped).</param>
/// <param name="NonZero">Pairs with a non-zero difference (those that are ranked).</param>
/// <param name="Statistic">min(R+, R−), as scipy reports for the two-sided test.</param>
/// <param name="PValue">Two-sided p-value; NaN when no pair has a difference.</param>
/// <param name="Exact">True when from the exact null distribution, false for the normal approximation.</param>
public sealed record WilcoxonResult(int Pairs, int NonZero, double Statistic, double PValue, bool Exact);

/// <summary>
/// Two-sided Wilcoxon signed-rank test on paired values, matching scipy.stats.wilcoxon's defaults
/// (zero_method="wilcox": zero differences are dropped; no continuity correction; method="auto"): exact null
/// distribution when at most <see cref="ExactLimit"/> non-zero differences and no zeros or tied |differences|,
/// otherwise the normal approximation with the tie correction of the variance (Σ(t³ − t)/48).
/// </summary>
public static class WilcoxonSignedRank
{
    /// <summary>scipy's method argument: Auto picks Exact or Approx as described above.</summary>
    public enum Method { Auto, Exact, Approx }

    public const int ExactLimit = 50;

    public static WilcoxonResult Test(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"Paired samples must have the same length, got {x.Count} and {y.Count}.");
        var d = new List<double>(x.Count);
        for (int i = 0; i < x.Count; i++)
            if (double.IsFinite(x[i]) && double.IsFinite(y[i])) d.Add(x[i] - y[i]);
        return Test(d);
    }

    /// <summary>The test on differences (already paired); non-finite differences are dropped.</summary>
    public static WilcoxonResult Test(IEnumerable<double> differences, Method method = Method.Auto)
    {
        var all = differences.Where(double.IsFinite).ToList();
        var d = all.Where(v => v != 0).OrderBy(Math.Abs).ToList();
        int n = d.Count, zeros = all.Count - n;
        if (n == 0) return new WilcoxonResult(all.Count, 0, 0, double.NaN, false);

        // Mid-ranks of |d|; tie groups feed the variance correction.
        var ranks = new double[n];
        double tieTerm = 0;
        bool ties = false;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && Math.Abs(d[j + 1]) == Math.Abs(d[i])) j++;
            int t = j - i + 1;
            if (t > 1) { ties = true; tieTerm += (double)t * t * t - t; }
            for (int k = i; k <= j; k++) ranks[k] = (i + j + 2) / 2.0;
            i = j + 1;
        }
        double plus = 0, minus = 0;
        for (int i = 0; i < n; i++) { if (d[i] > 0) plus += ranks[i]; else minus += ranks[i]; }
        double statistic = Math.Min(plus, minus);

        if (method == Method.Exact && (zeros > 0 || ties))
            throw new ArgumentException("The exact Wilcoxon distribution assumes no zero and no tied differences; use Method.Approx or Auto.");
        if (method == Method.Exact || (method == Method.Auto && n <= ExactLimit && zeros == 0 && !ties))
            return new WilcoxonResult(all.Count, n, statistic, Math.Min(1, 2 * ExactCdf(n, (int)statistic)), true);

        double mean = n * (n + 1) / 4.0;
        double variance = n * (n + 1.0) * (2 * n + 1) / 24 - tieTerm / 48;
        double p = variance > 0 ? 2 * NormalDistribution.Cdf(-Math.Abs(statistic - mean) / Math.Sqrt(variance)) : 1;
        return new WilcoxonResult(all.Count, n, statistic, Math.Min(1, p), false);
    }

    /// <summary>P(W ≤ w) for the signed-rank statistic of n untied non-zero differences: subsets of {1..n} with sum ≤ w, over 2ⁿ.</summary>
    public static double ExactCdf(int n, int w)
    {
        int max = n * (n + 1) / 2;
        if (w < 0) return 0;
        if (w >= max) return 1;
        return Cumulative.GetOrAdd(n, CumulativeCounts)[w] / Math.Pow(2, n);
    }

    /// <summary>The distribution depends on n only: a table of a thousand cells asks for the same few n again and again.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, double[]> Cumulative = new();

    /// <summary>cumulative[s] = number of subsets of {1..n} with rank sum ≤ s; doubles hold 2^50 exactly enough for a probability.</summary>
    private static double[] CumulativeCounts(int n)
    {
        int max = n * (n + 1) / 2;
        var counts = new double[max + 1];
        counts[0] = 1;
        for (int k = 1; k <= n; k++)
            for (int s = k * (k + 1) / 2; s >= k; s--) counts[s] += counts[s - k];
        for (int s = 1; s <= max; s++) counts[s] += counts[s - 1];
        return counts;
    }
}

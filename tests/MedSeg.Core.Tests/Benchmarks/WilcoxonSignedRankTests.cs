using MedSeg.Core.Benchmarks;

namespace MedSeg.Core.Tests.Benchmarks;

public class WilcoxonSignedRankTests
{
    // Darwin's Zea mays differences (cross − self fertilised, eighths of an inch), the example of scipy.stats.wilcoxon's
    // documentation: statistic 24, exact two-sided p 0.041259765625 (= 2·676/2¹⁵; 676 subsets of 1..15 sum to ≤ 24),
    // normal approximation p 0.04088813291185591 (z = (24 − 60)/√310).
    private static readonly double[] Darwin = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];

    [Fact]
    public void Darwin_Exact_Matches_Scipy_Documentation()
    {
        var r = WilcoxonSignedRank.Test(Darwin);
        Assert.True(r.Exact);
        Assert.Equal(15, r.NonZero);
        Assert.Equal(24, r.Statistic);
        Assert.Equal(0.041259765625, r.PValue, 12);
    }

    [Fact]
    public void Darwin_Normal_Approximation_Matches_Scipy()
    {
        var r = WilcoxonSignedRank.Test(Darwin, WilcoxonSignedRank.Method.Approx);
        Assert.False(r.Exact);
        Assert.Equal(0.04088813291185591, r.PValue, 8);
    }

    [Theory]
    [InlineData(5, 0.0625)]   // all positive: only the empty subset has sum 0 → 2/2⁵
    [InlineData(6, 0.03125)]
    [InlineData(1, 1.0)]
    public void All_Positive_Gives_Two_Over_Two_To_The_N(int n, double expected)
    {
        var r = WilcoxonSignedRank.Test(Enumerable.Range(1, n).Select(i => (double)i));
        Assert.Equal(0, r.Statistic);
        Assert.Equal(expected, r.PValue, 12);
    }

    [Fact]
    public void Exact_Cdf_Equals_Brute_Force_Enumeration()
    {
        const int n = 9;
        int max = n * (n + 1) / 2;
        var counts = new int[max + 1];
        for (int mask = 0; mask < 1 << n; mask++)
        {
            int sum = 0;
            for (int k = 0; k < n; k++) if ((mask >> k & 1) == 1) sum += k + 1;
            counts[sum]++;
        }
        int below = 0;
        for (int w = 0; w <= max; w++)
        {
            below += counts[w];
            Assert.Equal(below / 512.0, WilcoxonSignedRank.ExactCdf(n, w), 14);
        }
    }

    [Fact]
    public void Ties_And_Zeros_Use_The_Corrected_Normal_Approximation()
    {
        // By hand: zero dropped → n = 5; |d| ranks 1.5, 1.5, 3, 4, 5; R+ = 11, R− = 4 → T = 4;
        // mean 7.5, var 5·6·11/24 − (2³ − 2)/48 = 13.625; z = −3.5/√13.625; p = 2Φ(z) = 0.34302782731118203.
        var r = WilcoxonSignedRank.Test([1, 1, 2, -3, 0, 4], new double[6]);
        Assert.False(r.Exact);
        Assert.Equal(6, r.Pairs);
        Assert.Equal(5, r.NonZero);
        Assert.Equal(4, r.Statistic);
        Assert.Equal(0.34302782731118203, r.PValue, 8);
    }

    [Fact]
    public void Degenerate_Inputs()
    {
        var zeros = WilcoxonSignedRank.Test([0.5, 0.5], [0.5, 0.5]);
        Assert.Equal(2, zeros.Pairs);
        Assert.Equal(0, zeros.NonZero);
        Assert.True(double.IsNaN(zeros.PValue));

        var nan = WilcoxonSignedRank.Test([double.NaN, double.PositiveInfinity, 1, 2], [0, 0, 0, 0]);
        Assert.Equal(2, nan.Pairs);
        Assert.Equal(0.5, nan.PValue, 12); // two positive: 2·(1/4)

        var e = Assert.Throws<ArgumentException>(() => WilcoxonSignedRank.Test([1.0], [1.0, 2.0]));
        Assert.Contains("same length", e.Message);
        Assert.Throws<ArgumentException>(() => WilcoxonSignedRank.Test([1.0, 1.0, 2.0], WilcoxonSignedRank.Method.Exact));
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(-1.959963984540054, 0.025)]
    [InlineData(-8.0, 6.22096057427178e-16)]
    [InlineData(3.0, 0.9986501019683699)]
    public void Normal_Cdf_Reference_Values(double x, double expected) =>
        Assert.Equal(expected, NormalDistribution.Cdf(x), Math.Max(1e-15, expected * 1e-8));
}

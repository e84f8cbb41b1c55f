using MedSeg.Web.Components.Charts;

namespace MedSeg.Web.Tests.Components.Charts;

public sealed class LttbTests
{
    private static (double[] X, double[] Y) Noise(int n, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var y = x.Select(v => Math.Exp(-v / n) + 0.05 * random.NextDouble()).ToArray();
        return (x, y);
    }

    [Fact]
    public void Downsample_LongSeries_KeepsFirstAndLastAndExactCount()
    {
        var (x, y) = Noise(100_000, 1);

        var (dx, dy) = Lttb.Downsample(x, y, 1000);

        Assert.Equal(1000, dx.Length);
        Assert.Equal((x[0], y[0]), (dx[0], dy[0]));
        Assert.Equal((x[^1], y[^1]), (dx[^1], dy[^1]));
        Assert.True(dx.Zip(dx.Skip(1)).All(p => p.First < p.Second), "x must stay strictly ascending");
    }

    [Fact]
    public void Downsample_SpikeInFlatSeries_KeepsTheSpikeAndTheDip()
    {
        var x = Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray();
        var y = new double[x.Length];
        y[3_333] = 50;  // a loss spike
        y[7_777] = -20; // and a dip

        var (dx, dy) = Lttb.Downsample(x, y, 50);

        Assert.Contains(3_333.0, dx);
        Assert.Contains(7_777.0, dx);
        Assert.Equal(50, dy.Max());
        Assert.Equal(-20, dy.Min());
    }

    [Fact]
    public void Downsample_PicksTheExtremeOfEachBucket()
    {
        // Triangle wave whose peaks fall in different buckets: LTTB keeps every peak, striding would not.
        var x = Enumerable.Range(0, 1002).Select(i => (double)i).ToArray();
        var y = x.Select(v => v % 100 == 50 ? 10.0 : 0.0).ToArray();

        var (dx, _) = Lttb.Downsample(x, y, 102);

        foreach (var peak in x.Where(v => v % 100 == 50))
            Assert.Contains(peak, dx);
    }

    [Fact]
    public void Downsample_FewerPointsThanThreshold_ReturnsAllUnchanged()
    {
        double[] x = [0, 1, 2, 3], y = [4, 3, 2, 1];

        var (dx, dy) = Lttb.Downsample(x, y, 10);

        Assert.Equal(x, dx);
        Assert.Equal(y, dy);
    }

    [Fact]
    public void Downsample_BadArguments_NameTheProblem()
    {
        var countMismatch = Assert.Throws<ArgumentException>(() => Lttb.Downsample([0, 1], [0], 10));
        Assert.Contains("x has 2 values but y has 1", countMismatch.Message);
        var threshold = Assert.Throws<ArgumentOutOfRangeException>(() => Lttb.Downsample([0, 1, 2, 3], [0, 1, 2, 3], 2));
        Assert.Contains("at least 3", threshold.Message);
    }

    [Fact]
    public void Ema_ConstantSeries_StaysConstantFromTheFirstPoint()
    {
        var smoothed = Ema.Smooth([2, 2, 2, 2], 0.9);

        Assert.All(smoothed, v => Assert.Equal(2, v, 12));
    }

    [Fact]
    public void Ema_StepChange_LagsAndKeepsNaNVisible()
    {
        var smoothed = Ema.Smooth([0, 0, 10, double.NaN, 10], 0.5);

        Assert.InRange(smoothed[2], 0.1, 9.9);
        Assert.True(double.IsNaN(smoothed[3]));
        Assert.True(smoothed[4] > smoothed[2] && smoothed[4] < 10);
    }
}

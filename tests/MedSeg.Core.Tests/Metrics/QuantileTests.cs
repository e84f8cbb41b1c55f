using MedSeg.Core.Metrics;

namespace MedSeg.Core.Tests.Metrics;

public class QuantileTests
{
    [Fact]
    public void Linear_InterpolatesBetweenSortedNeighbours()
    {
        double[] v = [4, 1, 3, 2, 0]; // sorted 0..4
        Assert.Equal(3.8, Quantile.Linear(v, 0.95), 12);        // rank 3.8
        Assert.Equal(2, Quantile.Linear(v, 0.5), 12);
        Assert.Equal(0, Quantile.Linear(v, 0));
        Assert.Equal(4, Quantile.Linear(v, 1));
    }

    [Fact]
    public void AllInfinite_IsNaN_LikeTorchQuantile()
    {
        Assert.True(double.IsNaN(Quantile.Linear([double.PositiveInfinity], 0.95)));
        Assert.True(double.IsNaN(Quantile.Linear([double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity], 0.95)));
    }

    [Fact]
    public void FiniteAndInfinite_FollowsTorchLerpBranches()
    {
        // pytorch#133998: [0, inf] gives inf at q = 0.4 (w < 0.5) and NaN at q = 0.6 (w ≥ 0.5).
        Assert.True(double.IsPositiveInfinity(Quantile.Linear([0, double.PositiveInfinity], 0.4)));
        Assert.True(double.IsNaN(Quantile.Linear([0, double.PositiveInfinity], 0.6)));
    }

    [Fact]
    public void Empty_IsNaN() => Assert.True(double.IsNaN(Quantile.Linear([], 0.5)));
}

using MedSeg.Core.Metrics;

namespace MedSeg.Core.Tests.Metrics;

public class SurfaceDistanceMetricsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void CubesOffsetAlongX_HausdorffIsTheOffset(int k)
    {
        const int n = 24;
        var truth = MaskBuilder.Box(n, n, n, 5, 15, 5, 15, 5, 15);
        var pred = MaskBuilder.Box(n, n, n, 5 + k, 15 + k, 5, 15, 5, 15);

        var d = SurfaceDistances.Compute(pred, truth, n, n, n, [1, 1, 1]);

        Assert.Equal(k, SurfaceDistanceMetrics.Hausdorff(d, percentile: null), 12);
        Assert.All(d.PredictionToTruth.Concat(d.TruthToPrediction), v => Assert.InRange(v, 0, k + 1e-12));
    }

    [Fact]
    public void PlanesOneVoxelApartAlongZ_AnisotropicSpacing_AllDistancesAreThreeMm()
    {
        // Two one-voxel-thick planes: every voxel is a surface voxel and sits exactly one z step (3 mm) from the other plane.
        var truth = MaskBuilder.Box(8, 8, 10, 0, 8, 0, 8, 4, 5);
        var pred = MaskBuilder.Box(8, 8, 10, 0, 8, 0, 8, 5, 6);

        var d = SurfaceDistances.Compute(pred, truth, 8, 8, 10, [1, 1, 3]);

        Assert.Equal(64, d.PredictionToTruth.Length);
        Assert.Equal(64, d.TruthToPrediction.Length);
        Assert.All(d.PredictionToTruth.Concat(d.TruthToPrediction), v => Assert.Equal(3, v, 12));
        Assert.Equal(3, SurfaceDistanceMetrics.AverageSymmetric(d), 12);
        Assert.Equal(3, SurfaceDistanceMetrics.Hausdorff(d), 12);
    }

    [Fact]
    public void BoxShiftedOneVoxelAlongZ_AnisotropicSpacing_HausdorffIsThreeMm()
    {
        var truth = MaskBuilder.Box(8, 8, 9, 2, 6, 2, 6, 2, 6);
        var pred = MaskBuilder.Box(8, 8, 9, 2, 6, 2, 6, 3, 7);

        var d = SurfaceDistances.Compute(pred, truth, 8, 8, 9, [1, 1, 3]);

        Assert.Equal(3, SurfaceDistanceMetrics.Hausdorff(d, null), 12);
        Assert.Equal(3, d.PredictionToTruth.Max(), 12);      // the top face, one z step above the truth's
    }

    [Fact]
    public void Assd_PoolsBothDirections_NotMeanOfDirectedMeans()
    {
        // Truth: full 8×8 plane at z = 4. Prediction: 4×4 patch (x, y in 2..5) at z = 5. Spacing 1×1×3 mm.
        var truth = MaskBuilder.Box(8, 8, 10, 0, 8, 0, 8, 4, 5);
        var pred = MaskBuilder.Box(8, 8, 10, 2, 6, 2, 6, 5, 6);

        var d = SurfaceDistances.Compute(pred, truth, 8, 8, 10, [1, 1, 3]);

        // By hand: each patch voxel is 3 mm above the plane; each plane voxel reaches the patch at
        // sqrt(dx² + dy² + 3²) with dx, dy its in-plane gaps to the patch.
        double sumTruthToPred = 0;
        for (int x = 0; x < 8; x++)
            for (int y = 0; y < 8; y++)
            {
                int dx = Math.Max(0, Math.Max(2 - x, x - 5)), dy = Math.Max(0, Math.Max(2 - y, y - 5));
                sumTruthToPred += Math.Sqrt(dx * dx + dy * dy + 9);
            }
        Assert.Equal((16 * 3 + sumTruthToPred) / 80, SurfaceDistanceMetrics.AverageSymmetric(d), 12);
        Assert.Equal(Math.Sqrt(2 * 2 + 2 * 2 + 9), SurfaceDistanceMetrics.Hausdorff(d, null), 12);
    }

    [Fact]
    public void RandomBlobs_MatchBruteForceOnEdges()
    {
        const int nx = 10, ny = 9, nz = 7;
        double[] spacing = [0.8, 1.1, 2.5];
        var random = new Random(7);
        var pred = new bool[nx * ny * nz];
        var truth = new bool[nx * ny * nz];
        for (int i = 0; i < pred.Length; i++) { pred[i] = random.NextDouble() < 0.3; truth[i] = random.NextDouble() < 0.2; }

        var d = SurfaceDistances.Compute(pred, truth, nx, ny, nz, spacing);

        var predEdges = MaskEdges.Of(pred, nx, ny, nz);
        var truthEdges = MaskEdges.Of(truth, nx, ny, nz);
        var toTruth = MaskBuilder.BruteForceDistances(truthEdges, nx, ny, nz, spacing);
        var expected = Enumerable.Range(0, pred.Length).Where(i => predEdges[i]).Select(i => toTruth[i]).ToArray();
        Assert.Equal(expected.Length, d.PredictionToTruth.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], d.PredictionToTruth[i], 9);
    }

    [Fact]
    public void PredictionEmpty_AssdInfinite_Hd95NaN_Hd100Infinite()
    {
        var truth = MaskBuilder.Box(6, 6, 6, 1, 4, 1, 4, 1, 4);
        var d = SurfaceDistances.Compute(new bool[216], truth, 6, 6, 6, [1, 1, 1]);

        Assert.Equal(26, d.PredictionToTruth.Length);            // MONAI: inf once per truth edge voxel
        Assert.All(d.PredictionToTruth.Concat(d.TruthToPrediction), v => Assert.True(double.IsPositiveInfinity(v)));
        Assert.True(double.IsPositiveInfinity(SurfaceDistanceMetrics.AverageSymmetric(d)));
        Assert.True(double.IsNaN(SurfaceDistanceMetrics.Hausdorff(d, 95)));
        Assert.True(double.IsPositiveInfinity(SurfaceDistanceMetrics.Hausdorff(d, null)));
    }

    [Fact]
    public void TruthEmpty_AssdInfinite_Hd95NaN()
    {
        var pred = MaskBuilder.Box(6, 6, 6, 1, 3, 1, 3, 1, 3);
        var d = SurfaceDistances.Compute(pred, new bool[216], 6, 6, 6, [1, 1, 1]);

        Assert.Equal(8, d.PredictionToTruth.Length);
        Assert.Equal(8, d.TruthToPrediction.Length);
        Assert.True(double.IsPositiveInfinity(SurfaceDistanceMetrics.AverageSymmetric(d)));
        Assert.True(double.IsNaN(SurfaceDistanceMetrics.Hausdorff(d)));
    }

    [Fact]
    public void BothEmpty_AllNaN()
    {
        var d = SurfaceDistances.Compute(new bool[27], new bool[27], 3, 3, 3, [1, 1, 1]);
        Assert.Empty(d.PredictionToTruth);
        Assert.Empty(d.TruthToPrediction);
        Assert.True(double.IsNaN(SurfaceDistanceMetrics.AverageSymmetric(d)));
        Assert.True(double.IsNaN(SurfaceDistanceMetrics.Hausdorff(d)));
        Assert.True(double.IsNaN(SurfaceDistanceMetrics.Hausdorff(d, null)));
    }

    [Fact]
    public void PercentileZero_MeansMaximum_AsInMonai()
    {
        var d = new SurfaceDistances([0, 1, 2], [5]);
        Assert.Equal(5, SurfaceDistanceMetrics.Hausdorff(d, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SurfaceDistanceMetrics.Hausdorff(d, 101));
    }
}

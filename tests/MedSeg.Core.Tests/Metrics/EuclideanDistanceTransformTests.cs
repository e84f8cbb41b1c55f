using MedSeg.Core.Metrics;

namespace MedSeg.Core.Tests.Metrics;

public class EuclideanDistanceTransformTests
{
    [Theory]
    [InlineData(9, 7, 5, 0.7, 1.3, 2.5, 0.05, 1)]
    [InlineData(9, 7, 5, 0.7, 1.3, 2.5, 0.3, 2)]
    [InlineData(6, 11, 8, 3.0, 1.0, 0.5, 0.01, 3)]
    [InlineData(12, 1, 9, 1.0, 1.0, 4.0, 0.1, 4)]
    [InlineData(1, 1, 13, 1.0, 1.0, 2.0, 0.2, 5)]
    public void RandomMask_AnisotropicSpacing_MatchesBruteForce(int nx, int ny, int nz, double sx, double sy, double sz, double density, int seed)
    {
        var random = new Random(seed);
        var mask = new bool[nx * ny * nz];
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() < density;
        mask[random.Next(mask.Length)] = true; // at least one feature voxel
        double[] spacing = [sx, sy, sz];

        var fast = EuclideanDistanceTransform.Distances(mask, nx, ny, nz, spacing);
        var slow = MaskBuilder.BruteForceDistances(mask, nx, ny, nz, spacing);

        for (int i = 0; i < mask.Length; i++)
            Assert.True(Math.Abs(fast[i] - slow[i]) < 1e-9, $"voxel {i}: EDT {fast[i]} vs brute force {slow[i]}");
    }

    [Fact]
    public void SingleFeatureVoxel_GivesSpacingScaledDistances()
    {
        var mask = new bool[5 * 5 * 5];
        mask[2 + 5 * (2 + 5 * 2)] = true;
        var d = EuclideanDistanceTransform.Distances(mask, 5, 5, 5, [1, 2, 3]);

        Assert.Equal(0, d[2 + 5 * (2 + 5 * 2)]);
        Assert.Equal(2, d[4 + 5 * (2 + 5 * 2)], 12);             // two voxels along x
        Assert.Equal(4, d[2 + 5 * (0 + 5 * 2)], 12);             // two voxels along y
        Assert.Equal(3, d[2 + 5 * (2 + 5 * 3)], 12);             // one voxel along z
        Assert.Equal(Math.Sqrt(4 + 16 + 36), d[0], 12);           // corner (0,0,0)
    }

    [Fact]
    public void NoFeatureVoxel_AllInfinite()
    {
        var d = EuclideanDistanceTransform.Distances(new bool[4 * 3 * 2], 4, 3, 2, [1, 1, 1]);
        Assert.All(d, v => Assert.True(double.IsPositiveInfinity(v)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void BadSpacing_Throws(double bad)
    {
        var e = Assert.Throws<ArgumentException>(() => EuclideanDistanceTransform.Distances(new bool[8], 2, 2, 2, [1, bad, 1]));
        Assert.Contains("Spacing", e.Message);
    }
}

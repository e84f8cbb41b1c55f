using MedSeg.Core.Preprocessing;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Preprocessing;

public class ResamplerTests
{
    private static double Ramp(double[] w) => 2 * w[0] - 3 * w[1] + 0.5 * w[2] + 7;

    /// <summary>Float volume whose value is a linear function of each voxel's world position.</summary>
    private static Volume WorldRamp(int sx, int sy, int sz, double[] spacing, double[] affine)
    {
        var v = Volume.Create<float>(sx, sy, sz, spacing, affine);
        var d = v.As<float>();
        for (int z = 0; z < sz; z++) for (int y = 0; y < sy; y++) for (int x = 0; x < sx; x++)
            d[v.Index(x, y, z)] = (float)Ramp(GeometryAssert.World(v, x, y, z));
        return v;
    }

    [Fact]
    public void ToSpacing_LpsVolume_ShapeAsComputedByHand_AndAffineKeepsDirectionsAndOrigin()
    {
        var v = Volume.Create<short>(40, 40, 12, [0.8, 0.8, 2.5], GeometryAssert.LpsAffine);

        var r = Resampler.ToSpacing(v, [1.5, 1.5, 2.0], Interpolation.Trilinear);

        // round(39·0.8/1.5 + 1) = round(21.8) = 22; round(11·2.5/2 + 1) = round(14.75) = 15.
        Assert.Equal((22, 22, 15), (r.SizeX, r.SizeY, r.SizeZ));
        double[] expected = [-1.5, 0, 0, 100, 0, -1.5, 0, 50, 0, 0, 2.0, -30, 0, 0, 0, 1];
        for (int i = 0; i < 16; i++) Assert.Equal(expected[i], r.Affine[i], 1e-9);
        Assert.Equal([1.5, 1.5, 2.0], r.Spacing);
        Assert.Equal(VoxelType.Float32, r.Type);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(30.0)]
    public void ToSpacing_Trilinear_OnWorldLinearRamp_IsExactInsideTheInput(double rotationDegrees)
    {
        double c = Math.Cos(rotationDegrees * Math.PI / 180), s = Math.Sin(rotationDegrees * Math.PI / 180);
        // LPS directions rotated about z, spacing 0.8, 0.8, 2.5, offset.
        double[] affine = [-0.8 * c, 0.8 * s, 0, 100, -0.8 * s, -0.8 * c, 0, 50, 0, 0, 2.5, -30, 0, 0, 0, 1];
        var v = WorldRamp(20, 18, 8, [0.8, 0.8, 2.5], affine);

        var r = Resampler.ToSpacing(v, [1.1, 0.7, 1.9], Interpolation.Trilinear);

        var back = Inverse(v.Affine);
        int checkedVoxels = 0;
        var d = r.As<float>();
        for (int z = 0; z < r.SizeZ; z++) for (int y = 0; y < r.SizeY; y++) for (int x = 0; x < r.SizeX; x++)
        {
            var w = GeometryAssert.World(r, x, y, z);
            var p = Apply(back, w);
            if (p[0] < 0 || p[0] > 19 || p[1] < 0 || p[1] > 17 || p[2] < 0 || p[2] > 7) continue; // border-clamped
            Assert.Equal(Ramp(w), d[r.Index(x, y, z)], 1e-3);
            checkedVoxels++;
        }
        Assert.True(checkedVoxels > r.VoxelCount / 2, $"only {checkedVoxels} of {r.VoxelCount} voxels inside");
    }

    [Fact]
    public void ToSpacing_Nearest_KeepsLabelValueSetAndType_AndMarkedBlockStaysInPlace()
    {
        var v = Volume.Create<byte>(30, 30, 10, [0.8, 0.8, 2.5], GeometryAssert.LpsAffine);
        var d = v.As<byte>();
        for (int z = 4; z < 7; z++) for (int y = 10; y < 14; y++) for (int x = 6; x < 10; x++) d[v.Index(x, y, z)] = 7;
        for (int z = 0; z < 10; z++) for (int y = 20; y < 26; y++) for (int x = 18; x < 27; x++) d[v.Index(x, y, z)] = 3;

        var r = Resampler.ToSpacing(v, [1.5, 1.5, 2.0], Interpolation.Nearest);

        Assert.Equal(VoxelType.UInt8, r.Type);
        Assert.Equal(new byte[] { 0, 3, 7 }, r.As<byte>().Distinct().Order().ToArray());
        var before = Centroid(v, 7);
        var after = Centroid(r, 7);
        // Within half an output voxel along each world axis.
        Assert.InRange(Math.Abs(before[0] - after[0]), 0, 0.75);
        Assert.InRange(Math.Abs(before[1] - after[1]), 0, 0.75);
        Assert.InRange(Math.Abs(before[2] - after[2]), 0, 1.0);
    }

    [Fact]
    public void ToSpacing_SameSpacing_IsIdentity()
    {
        var v = GeometryAssert.IndexVolume(7, 5, 3, [0.8, 0.8, 2.5], GeometryAssert.LpsAffine);
        var r = Resampler.ToSpacing(v, [0.8, 0.8, 2.5], Interpolation.Nearest);
        Assert.Equal(v.As<int>(), r.As<int>());
    }

    [Fact]
    public void ToSpacing_BadTarget_ThrowsWithValue()
    {
        var v = Volume.Create<byte>(2, 2, 2);
        var e = Assert.Throws<ArgumentException>(() => Resampler.ToSpacing(v, [1, -2, 1], Interpolation.Nearest));
        Assert.Contains("-2", e.Message);
    }

    private static double[] Centroid(Volume v, double label)
    {
        double[] sum = [0, 0, 0];
        int n = 0;
        for (int z = 0; z < v.SizeZ; z++) for (int y = 0; y < v.SizeY; y++) for (int x = 0; x < v.SizeX; x++)
        {
            if (v.GetDouble(v.Index(x, y, z)) != label) continue;
            var w = GeometryAssert.World(v, x, y, z);
            for (int a = 0; a < 3; a++) sum[a] += w[a];
            n++;
        }
        Assert.True(n > 0);
        return [sum[0] / n, sum[1] / n, sum[2] / n];
    }

    private static double[] Inverse(double[] a)
    {
        // 3×3 inverse via adjugate plus translation.
        double m0 = a[0], m1 = a[1], m2 = a[2], m3 = a[4], m4 = a[5], m5 = a[6], m6 = a[8], m7 = a[9], m8 = a[10];
        double det = m0 * (m4 * m8 - m5 * m7) - m1 * (m3 * m8 - m5 * m6) + m2 * (m3 * m7 - m4 * m6);
        double[] inv =
        [
            (m4 * m8 - m5 * m7) / det, (m2 * m7 - m1 * m8) / det, (m1 * m5 - m2 * m4) / det,
            (m5 * m6 - m3 * m8) / det, (m0 * m8 - m2 * m6) / det, (m2 * m3 - m0 * m5) / det,
            (m3 * m7 - m4 * m6) / det, (m1 * m6 - m0 * m7) / det, (m0 * m4 - m1 * m3) / det,
        ];
        return [.. inv, a[3], a[7], a[11]];
    }

    private static double[] Apply(double[] inv, double[] w)
    {
        double x = w[0] - inv[9], y = w[1] - inv[10], z = w[2] - inv[11];
        return
        [
            inv[0] * x + inv[1] * y + inv[2] * z,
            inv[3] * x + inv[4] * y + inv[5] * z,
            inv[6] * x + inv[7] * y + inv[8] * z,
        ];
    }
}

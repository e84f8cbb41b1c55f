using MedSeg.Core.Preprocessing;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Preprocessing;

public class OrientationTests
{
    [Fact]
    public void ToRas_LpsVolume_FlipsXAndY_KeepsZ_AndEveryVoxelsWorldPosition()
    {
        var lps = GeometryAssert.IndexVolume(5, 4, 3, [0.8, 0.8, 2.5], GeometryAssert.LpsAffine);
        Assert.Equal("LPS", Orientation.AxisCodes(lps.Affine));

        var ras = Orientation.ToRas(lps);

        Assert.Equal((5, 4, 3), (ras.SizeX, ras.SizeY, ras.SizeZ));
        Assert.Equal("RAS", Orientation.AxisCodes(ras.Affine));
        // x and y reversed, z untouched.
        Assert.Equal(lps.As<int>()[lps.Index(4, 3, 0)], ras.As<int>()[ras.Index(0, 0, 0)]);
        Assert.Equal(lps.As<int>()[lps.Index(0, 0, 2)], ras.As<int>()[ras.Index(4, 3, 2)]);
        // New origin = world of old voxel (4, 3, 0) = (100 − 3.2, 50 − 2.4, −30).
        double[] expectedAffine = [0.8, 0, 0, 96.8, 0, 0.8, 0, 47.6, 0, 0, 2.5, -30, 0, 0, 0, 1];
        for (int i = 0; i < 16; i++) Assert.Equal(expectedAffine[i], ras.Affine[i], 1e-12);
        Assert.Equal([0.8, 0.8, 2.5], ras.Spacing);
        GeometryAssert.WorldPreserved(lps, ras);
    }

    [Fact]
    public void ToRas_PermutedAxes_ReordersShapeAndSpacing()
    {
        // Voxel x runs superior, y runs left (−R), z runs anterior: codes "SLA".
        double[] affine =
        [
            0, -1.0, 0, 10,
            0, 0, 3.0, -5,
            2.0, 0, 0, 7,
            0, 0, 0, 1,
        ];
        var v = GeometryAssert.IndexVolume(6, 5, 4, [2.0, 1.0, 3.0], affine);
        Assert.Equal("SLA", Orientation.AxisCodes(affine));

        var ras = Orientation.ToRas(v);

        Assert.Equal((5, 4, 6), (ras.SizeX, ras.SizeY, ras.SizeZ));
        Assert.Equal([1.0, 3.0, 2.0], ras.Spacing);
        Assert.Equal("RAS", Orientation.AxisCodes(ras.Affine));
        Assert.Equal(1.0, ras.Affine[0], 12);
        Assert.Equal(3.0, ras.Affine[5], 12);
        Assert.Equal(2.0, ras.Affine[10], 12);
        GeometryAssert.WorldPreserved(v, ras);
    }

    [Fact]
    public void ToRas_AlreadyRas_ReturnsSameVoxels()
    {
        var v = GeometryAssert.IndexVolume(3, 3, 2, [1, 1, 1]);
        var ras = Orientation.ToRas(v);
        Assert.Equal(v.As<int>(), ras.As<int>());
        Assert.Equal(v.Affine, ras.Affine);
    }

    [Fact]
    public void ToRas_SingularAffine_ThrowsNamingTheAffine()
    {
        var v = Volume.Create<byte>(2, 2, 2, null, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
        var e = Assert.Throws<ArgumentException>(() => Orientation.ToRas(v));
        Assert.Contains("zero column", e.Message);
    }

    [Fact]
    public void ToRas_ObliqueLps_PicksNearestAxes_WithoutResampling()
    {
        double c = Math.Cos(Math.PI / 6), sn = Math.Sin(Math.PI / 6); // 30° about z
        double[] affine = [-0.8 * c, 0.8 * sn, 0, 100, -0.8 * sn, -0.8 * c, 0, 50, 0, 0, 2.5, -30, 0, 0, 0, 1];
        var v = GeometryAssert.IndexVolume(6, 5, 3, [0.8, 0.8, 2.5], affine);

        var ras = Orientation.ToRas(v);

        Assert.Equal("RAS", Orientation.AxisCodes(ras.Affine));
        Assert.Equal(v.VoxelCount, ras.VoxelCount);
        Assert.Equal(v.As<int>().Order(), ras.As<int>().Order()); // same voxels, only re-indexed
        GeometryAssert.WorldPreserved(v, ras);
    }
}

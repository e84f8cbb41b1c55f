using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Preprocessing;

/// <summary>World positions and test volumes shared by the preprocessing tests.</summary>
internal static class GeometryAssert
{
    /// <summary>LPS-oriented affine (x → left, y → posterior) with spacing 0.8, 0.8, 2.5 and an offset.</summary>
    public static double[] LpsAffine =>
    [
        -0.8, 0, 0, 100,
        0, -0.8, 0, 50,
        0, 0, 2.5, -30,
        0, 0, 0, 1,
    ];

    public static double[] World(Volume v, double i, double j, double k) =>
    [
        v.Affine[0] * i + v.Affine[1] * j + v.Affine[2] * k + v.Affine[3],
        v.Affine[4] * i + v.Affine[5] * j + v.Affine[6] * k + v.Affine[7],
        v.Affine[8] * i + v.Affine[9] * j + v.Affine[10] * k + v.Affine[11],
    ];

    /// <summary>Int32 volume whose value is its own flat index, so any re-indexing can be traced back.</summary>
    public static Volume IndexVolume(int sx, int sy, int sz, double[]? spacing = null, double[]? affine = null)
    {
        var v = Volume.Create<int>(sx, sy, sz, spacing, affine);
        var d = v.As<int>();
        for (int i = 0; i < d.Length; i++) d[i] = i;
        return v;
    }

    /// <summary>Each output voxel holds an input flat index; its world position must equal the input voxel's.</summary>
    public static void WorldPreserved(Volume input, Volume output, double tolerance = 1e-9)
    {
        var d = output.As<int>();
        for (int z = 0; z < output.SizeZ; z++)
            for (int y = 0; y < output.SizeY; y++)
                for (int x = 0; x < output.SizeX; x++)
                {
                    int src = d[output.Index(x, y, z)];
                    int sx = src % input.SizeX, sy = src / input.SizeX % input.SizeY, sz = src / (input.SizeX * input.SizeY);
                    var expected = World(input, sx, sy, sz);
                    var actual = World(output, x, y, z);
                    for (int a = 0; a < 3; a++) Assert.Equal(expected[a], actual[a], tolerance);
                }
    }
}

namespace MedSeg.Core.ContextFeatures;

/// <summary>
/// Sample offsets around a patch centre in normalised coordinates, each (x, y, z), flattened: the authors' 2.5D planes
/// (3 planes linspace(−0.05, 0.05, 3) × 42 × 42 samples linspace(−0.4, 0.4, 42)) and Doersch cubes (linspace(−0.2, 0.2, 25)³).
/// </summary>
public static class PatchOffsets
{
    public const int Planes = 3;
    public const double PlaneHalfSpan = 0.05;
    public const int PlaneWidth = 42;
    public const double PlaneHalfWidth = 0.4;
    public const int PlaneSamples = Planes * PlaneWidth * PlaneWidth;

    public const int CubeWidth = 25;
    public const double CubeHalfWidth = 0.2;
    public const int CubeSamples = CubeWidth * CubeWidth * CubeWidth;

    private static readonly double[][] PlaneCache = [BuildPlane(0), BuildPlane(1), BuildPlane(2)];
    private static readonly double[] CubeCache = BuildCube();

    /// <summary>Offsets of D2D-CNN <paramref name="axis"/>'s patch, [3·42·42 × 3] in the patch's order [plane, row, column].</summary>
    public static ReadOnlySpan<double> Plane(int axis) => PlaneCache[axis is >= 0 and <= 2
        ? axis : throw new ArgumentOutOfRangeException(nameof(axis), $"Axis must be 0, 1 or 2, got {axis}.")];

    /// <summary>Offsets of a Doersch cube, [25³ × 3] in [z, y, x] order (the cube reads as [D, H, W]).</summary>
    public static ReadOnlySpan<double> Cube() => CubeCache;

    /// <summary>linspace(−h, h, n) as torch computes it (start + i·step, the last element exact).</summary>
    public static double Linspace(double half, int n, int i) => n == 1 ? -half : i == n - 1 ? half : -half + i * (2 * half / (n - 1));

    private static double[] BuildPlane(int axis)
    {
        var layout = ContextAxisLayout.For(axis, ContextAxisMapping.Paper);
        var result = new double[PlaneSamples * 3];
        int k = 0;
        for (int p = 0; p < Planes; p++)
        for (int r = 0; r < PlaneWidth; r++)
        for (int c = 0; c < PlaneWidth; c++, k++)
        {
            result[k * 3 + layout.Thin] = Linspace(PlaneHalfSpan, Planes, p);
            result[k * 3 + layout.Rows] = Linspace(PlaneHalfWidth, PlaneWidth, r);
            result[k * 3 + layout.Columns] = Linspace(PlaneHalfWidth, PlaneWidth, c);
        }
        return result;
    }

    private static double[] BuildCube()
    {
        var result = new double[CubeSamples * 3];
        int k = 0;
        for (int z = 0; z < CubeWidth; z++)
        for (int y = 0; y < CubeWidth; y++)
        for (int x = 0; x < CubeWidth; x++, k++)
        {
            result[k * 3 + 0] = Linspace(CubeHalfWidth, CubeWidth, x);
            result[k * 3 + 1] = Linspace(CubeHalfWidth, CubeWidth, y);
            result[k * 3 + 2] = Linspace(CubeHalfWidth, CubeWidth, z);
        }
        return result;
    }

    /// <summary>
    /// Samples <paramref name="volume"/> at centre (cx, cy, cz) + every offset into <paramref name="destination"/>
    /// (one value per offset, in the offsets' order).
    /// </summary>
    public static void Sample(SamplingVolume volume, double cx, double cy, double cz, ReadOnlySpan<double> offsets,
        Span<float> destination, bool alignCorners = true)
    {
        int n = offsets.Length / 3;
        if (destination.Length < n) throw new ArgumentException($"Destination holds {destination.Length} values; {n} needed.");
        for (int k = 0; k < n; k++)
            destination[k] = volume.Sample(cx + offsets[k * 3], cy + offsets[k * 3 + 1], cz + offsets[k * 3 + 2], alignCorners);
    }
}

namespace MedSeg.Core.Metrics;

/// <summary>
/// Distances (mm) from every surface voxel of one mask to the nearest surface voxel of the other, both
/// ways, as MONAI 1.5's <c>get_edge_surface_distance(..., symmetric=True)</c> computes them: edges by
/// <see cref="MaskEdges"/>, distances by an exact Euclidean distance transform of the other mask's edges
/// with the voxel spacing (<see cref="EuclideanDistanceTransform"/>).
/// </summary>
/// <remarks>
/// Empty masks follow MONAI's <c>get_surface_distance(seg_pred, seg_gt)</c> exactly:
/// <list type="bullet">
/// <item>both empty: both directions are empty arrays;</item>
/// <item>ground truth empty, prediction not: prediction→truth holds +∞ for every prediction edge voxel and
/// truth→prediction holds +∞ for every prediction edge voxel too (MONAI returns <c>inf[seg_gt]</c> when the
/// "prediction" argument is empty);</item>
/// <item>prediction empty, truth not: the mirror image, +∞ once per truth edge voxel in each direction.</item>
/// </list>
/// MONAI crops both masks to the bounding box of their union plus one voxel before finding edges; that
/// changes no edge and no distance (the grid border already counts as background), so callers may pass
/// cropped or uncropped masks alike.
/// </remarks>
public sealed record SurfaceDistances(double[] PredictionToTruth, double[] TruthToPrediction)
{
    public static SurfaceDistances Compute(bool[] prediction, bool[] truth, int sizeX, int sizeY, int sizeZ, ReadOnlySpan<double> spacing)
    {
        var predEdges = MaskEdges.Of(prediction, sizeX, sizeY, sizeZ);
        var truthEdges = MaskEdges.Of(truth, sizeX, sizeY, sizeZ);
        double[] spacingCopy = spacing.ToArray();
        return new SurfaceDistances(
            Directed(predEdges, truthEdges, sizeX, sizeY, sizeZ, spacingCopy),
            Directed(truthEdges, predEdges, sizeX, sizeY, sizeZ, spacingCopy));
    }

    /// <summary>MONAI's <c>get_surface_distance(from, to)</c>: distances of <paramref name="from"/>'s edge voxels to <paramref name="to"/>'s edges.</summary>
    private static double[] Directed(bool[] from, bool[] to, int sizeX, int sizeY, int sizeZ, double[] spacing)
    {
        int fromCount = Count(from), toCount = Count(to);
        if (toCount == 0) return Filled(fromCount, double.PositiveInfinity);
        if (fromCount == 0) return Filled(toCount, double.PositiveInfinity);
        var squared = EuclideanDistanceTransform.SquaredDistances(to, sizeX, sizeY, sizeZ, spacing);
        var result = new double[fromCount];
        int n = 0;
        for (int i = 0; i < from.Length; i++)
            if (from[i]) result[n++] = Math.Sqrt(squared[i]);
        return result;
    }

    private static int Count(bool[] mask)
    {
        int n = 0;
        foreach (bool b in mask) if (b) n++;
        return n;
    }

    private static double[] Filled(int count, double value)
    {
        var a = new double[count];
        Array.Fill(a, value);
        return a;
    }
}

namespace MedSeg.Core.Metrics;

/// <summary>
/// Hausdorff distance (or a percentile of it) and average symmetric surface distance from
/// <see cref="SurfaceDistances"/>, reproducing MONAI 1.5's <c>compute_hausdorff_distance</c> and
/// <c>compute_average_surface_distance(symmetric=True)</c> including their empty-mask results.
/// </summary>
public static class SurfaceDistanceMetrics
{
    /// <summary>
    /// MONAI's undirected Hausdorff distance: the larger of the two directed percentiles
    /// (<paramref name="percentile"/> null = the maximum, i.e. the classic Hausdorff distance).
    /// </summary>
    /// <remarks>
    /// Edge cases, as MONAI 1.5 returns them:
    /// <list type="bullet">
    /// <item>both masks empty: NaN (each direction is an empty array, which MONAI maps to NaN);</item>
    /// <item>exactly one mask empty, percentile given (HD95): NaN — every distance is +∞ and
    /// <c>torch.quantile</c> interpolates with <c>lerp(inf, inf, w)</c> = inf + w·(inf − inf) = NaN;</item>
    /// <item>exactly one mask empty, no percentile (HD100): +∞ (the maximum of +∞ values);</item>
    /// <item>NaN in either direction makes the result NaN (<c>torch.max</c> propagates NaN).</item>
    /// </list>
    /// MONAI computes in float32; this computes in float64, so values agree to about 1e-6 relative.
    /// </remarks>
    public static double Hausdorff(SurfaceDistances distances, double? percentile = 95)
    {
        double a = DirectedPercentile(distances.PredictionToTruth, percentile);
        double b = DirectedPercentile(distances.TruthToPrediction, percentile);
        if (double.IsNaN(a) || double.IsNaN(b)) return double.NaN;
        return Math.Max(a, b);
    }

    /// <summary>
    /// MONAI's symmetric average surface distance: the mean of all distances of both directions pooled
    /// together (not the mean of the two directed means — the two differ when the surfaces have different
    /// numbers of edge voxels).
    /// </summary>
    /// <remarks>Both masks empty: NaN (no distances). Exactly one empty: +∞ (mean of +∞ values).</remarks>
    public static double AverageSymmetric(SurfaceDistances distances)
    {
        int n = distances.PredictionToTruth.Length + distances.TruthToPrediction.Length;
        if (n == 0) return double.NaN;
        double sum = 0;
        foreach (double d in distances.PredictionToTruth) sum += d;
        foreach (double d in distances.TruthToPrediction) sum += d;
        return sum / n;
    }

    /// <summary>
    /// One direction: NaN when empty, the maximum without a percentile (or with percentile 0, as in MONAI), else <c>torch.quantile(d, p/100)</c>
    /// with linear interpolation (rank p/100·(n − 1) between the sorted neighbours).
    /// </summary>
    public static double DirectedPercentile(double[] distances, double? percentile)
    {
        if (percentile is { } p && !(p >= 0 && p <= 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "Percentile must be between 0 and 100.");
        if (distances.Length == 0) return double.NaN;
        // MONAI tests `if not percentile`, so 0 also means the maximum.
        if (percentile is null || percentile.Value == 0) return distances.Max();
        return Quantile.Linear(distances, percentile.Value / 100);
    }
}

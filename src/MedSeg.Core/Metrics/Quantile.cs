namespace MedSeg.Core.Metrics;

/// <summary>Quantiles with <c>torch.quantile</c>'s default ("linear") interpolation, including its handling of ±∞.</summary>
public static class Quantile
{
    /// <summary>
    /// Sorts a copy, takes rank q·(n − 1) and interpolates between the two neighbouring values the way
    /// torch's <c>lerp</c> does: a + w·(b − a) for w &lt; 0.5, else b − (b − a)·(1 − w). So an interpolation
    /// between two +∞ values yields NaN, as in PyTorch (pytorch/pytorch#133998). Any NaN input gives NaN.
    /// </summary>
    public static double Linear(double[] values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "Quantile must be between 0 and 1.");
        if (values.Length == 0) return double.NaN;
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        if (sorted.Any(double.IsNaN)) return double.NaN;
        double rank = q * (sorted.Length - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Length - 1);
        if (rank == below) above = below;
        double w = rank - below, a = sorted[below], b = sorted[above];
        return w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
    }
}

namespace MedSeg.Web.Components.Charts;

/// <summary>
/// Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013): keeps the first and last point and, per
/// bucket, the point that spans the largest triangle with the previously kept point and the next bucket's mean.
/// Peaks and troughs survive, unlike plain striding, so a 100k-step loss curve drawn from ~1,000 points keeps
/// its spikes. Input x must be ascending.
/// </summary>
public static class Lttb
{
    /// <summary>Indices into <paramref name="x"/>/<paramref name="y"/> of the kept points, ascending.</summary>
    public static int[] SelectIndices(IReadOnlyList<double> x, IReadOnlyList<double> y, int threshold)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"Lttb: x has {x.Count} values but y has {y.Count}.", nameof(y));
        if (threshold < 3)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Lttb: threshold must be at least 3 (first, one bucket, last).");
        var n = x.Count;
        if (n <= threshold) return Enumerable.Range(0, n).ToArray();

        var kept = new int[threshold];
        kept[0] = 0;
        // The n−2 inner points are split into threshold−2 buckets of (fractional) equal size.
        var bucketSize = (double)(n - 2) / (threshold - 2);
        var a = 0;
        for (var bucket = 0; bucket < threshold - 2; bucket++)
        {
            var start = (int)Math.Floor(bucket * bucketSize) + 1;
            var end = (int)Math.Floor((bucket + 1) * bucketSize) + 1;
            // Mean of the next bucket (the last point for the final bucket).
            var nextStart = end;
            var nextEnd = Math.Min((int)Math.Floor((bucket + 2) * bucketSize) + 1, n);
            if (bucket == threshold - 3) { nextStart = n - 1; nextEnd = n; }
            double meanX = 0, meanY = 0;
            for (var j = nextStart; j < nextEnd; j++) { meanX += x[j]; meanY += y[j]; }
            var count = nextEnd - nextStart;
            meanX /= count; meanY /= count;

            double ax = x[a], ay = y[a];
            var best = start;
            var bestArea = -1.0;
            for (var j = start; j < end; j++)
            {
                // Twice the triangle's area; the factor does not change the arg max.
                var area = Math.Abs((ax - meanX) * (y[j] - ay) - (ax - x[j]) * (meanY - ay));
                if (area > bestArea) { bestArea = area; best = j; }
            }
            kept[bucket + 1] = best;
            a = best;
        }
        kept[threshold - 1] = n - 1;
        return kept;
    }

    /// <summary>The kept points themselves: at most <paramref name="threshold"/>, first and last included.</summary>
    public static (double[] X, double[] Y) Downsample(IReadOnlyList<double> x, IReadOnlyList<double> y, int threshold)
    {
        var indices = SelectIndices(x, y, threshold);
        var xs = new double[indices.Length];
        var ys = new double[indices.Length];
        for (var i = 0; i < indices.Length; i++) { xs[i] = x[indices[i]]; ys[i] = y[indices[i]]; }
        return (xs, ys);
    }
}

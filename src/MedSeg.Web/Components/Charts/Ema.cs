namespace MedSeg.Web.Components.Charts;

/// <summary>
/// Debiased exponential moving average, as TensorBoard's smoothing slider: the running mean starts at zero and is
/// divided by (1 − weightⁿ), so the first points are not dragged towards zero. Non-finite values are passed through
/// unsmoothed (a NaN loss must stay visible) and do not enter the average.
/// </summary>
public static class Ema
{
    /// <param name="weight">0 = no smoothing, towards 1 = smoother. Must be in [0, 1).</param>
    public static double[] Smooth(IReadOnlyList<double> values, double weight)
    {
        if (weight is < 0 or >= 1 || double.IsNaN(weight))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "Ema: weight must be in [0, 1).");
        var result = new double[values.Count];
        double last = 0;
        var n = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            if (!double.IsFinite(v)) { result[i] = v; continue; }
            last = last * weight + (1 - weight) * v;
            n++;
            result[i] = weight == 0 ? v : last / (1 - Math.Pow(weight, n));
        }
        return result;
    }
}

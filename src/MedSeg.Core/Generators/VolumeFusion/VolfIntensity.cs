namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>The intensity maps of a PyMIC 2024 view (<c>adaptive_contrast_adjust</c>, <c>gamma_correction</c>).</summary>
public static class VolfIntensity
{
    /// <summary>
    /// Clips to the <paramref name="lowPercentile"/>-th and <paramref name="highPercentile"/>-th percentiles (numpy's default
    /// linear interpolation between order statistics) and rescales that range to 0..1. A view with no spread becomes zeros.
    /// </summary>
    public static void ContrastMap(float[] v, double lowPercentile, double highPercentile)
    {
        if (v.Length == 0) return;
        var sorted = (float[])v.Clone();
        Array.Sort(sorted);
        double lo = Percentile(sorted, lowPercentile), hi = Percentile(sorted, highPercentile);
        double range = hi - lo;
        if (!(range > 0)) { Array.Clear(v); return; }
        for (int i = 0; i < v.Length; i++) v[i] = (float)((Math.Clamp(v[i], lo, hi) - lo) / range);
    }

    /// <summary>x^γ of a view already in 0..1.</summary>
    public static void Gamma(float[] v, double gamma)
    {
        for (int i = 0; i < v.Length; i++) v[i] = (float)Math.Pow(v[i], gamma);
    }

    /// <summary>numpy.percentile(values, p) of ascending <paramref name="sorted"/> (method "linear").</summary>
    public static double Percentile(float[] sorted, double p)
    {
        double pos = p / 100 * (sorted.Length - 1);
        int i0 = (int)Math.Floor(pos);
        int i1 = Math.Min(i0 + 1, sorted.Length - 1);
        return sorted[i0] + (sorted[i1] - (double)sorted[i0]) * (pos - i0);
    }
}

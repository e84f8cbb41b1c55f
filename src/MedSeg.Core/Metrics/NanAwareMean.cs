namespace MedSeg.Core.Metrics;

/// <summary>Mean over classes as MONAI's <c>do_metric_reduction</c> takes it: NaN entries are left out, +∞ is kept.</summary>
public static class NanAwareMean
{
    /// <summary>Mean of the non-NaN values; NaN when there are none; +∞ when any kept value is +∞.</summary>
    public static double Of(IEnumerable<double> values)
    {
        double sum = 0;
        int n = 0;
        foreach (double v in values)
        {
            if (double.IsNaN(v)) continue;
            sum += v;
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }
}

namespace MedSeg.Core.Imaging;

/// <summary>
/// Grey-level mapping: values from Level − Width/2 (black) to Level + Width/2 (white), clamped outside.
/// </summary>
public readonly record struct DisplayWindow(double Width, double Level)
{
    public double Low => Level - Width / 2;
    public double High => Level + Width / 2;

    /// <summary>Grey 0–255; NaN shows black. A non-positive width acts as a threshold at Level.</summary>
    public byte ToGray(double value)
    {
        if (double.IsNaN(value)) return 0;
        if (!(Width > 0)) return value >= Level ? (byte)255 : (byte)0;
        double t = (value - Low) / Width;
        return (byte)Math.Round(Math.Clamp(t, 0, 1) * 255);
    }

    /// <summary>
    /// Window spanning the 0.5th to 99.5th percentile of the finite values (linear interpolation between
    /// ranks, as numpy's default), so a few extreme voxels do not wash out the picture.
    /// A constant (or all-NaN) slice gets width 1 centred on its value, showing mid-grey.
    /// </summary>
    public static DisplayWindow FromPercentiles(IEnumerable<double> values, double lowPercent = 0.5, double highPercent = 99.5)
    {
        var sorted = values.Where(double.IsFinite).ToArray();
        if (sorted.Length == 0) return new DisplayWindow(1, 0);
        Array.Sort(sorted);
        double lo = Percentile(sorted, lowPercent), hi = Percentile(sorted, highPercent);
        return hi > lo ? new DisplayWindow(hi - lo, (hi + lo) / 2) : new DisplayWindow(1, lo);
    }

    /// <summary>Percentile of ascending values, interpolating linearly between neighbouring ranks.</summary>
    public static double Percentile(double[] sortedAscending, double percent)
    {
        double rank = percent / 100 * (sortedAscending.Length - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sortedAscending.Length - 1);
        return sortedAscending[below] + (rank - below) * (sortedAscending[above] - sortedAscending[below]);
    }
}

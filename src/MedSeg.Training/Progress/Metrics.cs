namespace MedSeg.Training.Progress;

internal static class Metrics
{
    /// <summary>Mean of the non-null per-class values, skipping class 0 (background) when there are others.</summary>
    public static double? MeanForeground(IReadOnlyList<double?> perClass)
    {
        var values = perClass.Skip(perClass.Count > 1 ? 1 : 0).Where(d => d.HasValue).Select(d => d!.Value).ToList();
        return values.Count == 0 ? null : values.Average();
    }
}

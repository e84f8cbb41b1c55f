namespace MedSeg.Viewer;

/// <summary>What the JS viewer reports after loading a volume (deserialised from <c>loadVolume</c>'s result).</summary>
public sealed class ViewerLoadResult
{
    public IReadOnlyList<LegendEntry> Legend { get; init; } = [];
    public int[] Dimensions { get; init; } = [];
    public double[] Spacing { get; init; } = [];
    public IntensityRange? Range { get; init; }
    public double[] LabelValues { get; init; } = [];

    public sealed record IntensityRange(double Min, double Max);
}

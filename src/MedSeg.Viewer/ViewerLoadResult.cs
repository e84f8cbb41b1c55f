namespace MedSeg.Viewer;

/// <summary>What the JS viewer reports after loading a volume (deserialised from <c>loadVolume</c>'s result).</summary>
public sealed class ViewerLoadResult
{
    public IReadOnlyList<LegendEntry> Legend { get; init; } = [];
    public int[] Dimensions { get; init; } = [];
    public double[] Spacing { get; init; } = [];
    public IntensityRange? Range { get; init; }
    public double[] LabelValues { get; init; } = [];

    /// <summary>The image kind in effect ("ct", "synthetic", "fused", "generic"): the caller's, or the detected one.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The window/level presets of that kind, in button order.</summary>
    public IReadOnlyList<WindowLevelPreset> Presets { get; init; } = [];

    /// <summary>The preset applied after the load.</summary>
    public string Preset { get; init; } = "";

    public sealed record IntensityRange(double Min, double Max);
}

namespace MedSeg.Viewer;

/// <summary>A window/level preset button; <see cref="Key"/> is the preset name the JS module knows.</summary>
public sealed record WindowLevelPreset(string Key, string Label)
{
    /// <summary>Same table as ClientApp/src/windowLevelPresets.js, plus "auto" (the volume's full intensity range).</summary>
    public static IReadOnlyList<WindowLevelPreset> Defaults { get; } =
    [
        new("auto", "Auto"),
        new("softTissue", "Soft tissue"),
        new("lung", "Lung"),
        new("liver", "Liver"),
        new("bone", "Bone"),
        new("brain", "Brain"),
    ];
}

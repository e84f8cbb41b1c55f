namespace MedSeg.Viewer;

/// <summary>
/// What kind of image the viewer shows; it picks the window/level presets and the one applied after a load
/// (ClientApp/src/windowLevelPresets.js holds the table).
/// </summary>
public enum ViewerImageKind
{
    /// <summary>Detected from the intensities: air far below 0 → CT; within 0..255 → synthetic; small floats around 0 → fused.</summary>
    Auto,

    /// <summary>CT in Hounsfield units: soft tissue, lung, liver, bone and brain windows; soft tissue first.</summary>
    Ct,

    /// <summary>Synthetic images (AVS-DB outlines, phantoms; 0..255 or 0..1): full range first, never a CT window.</summary>
    Synthetic,

    /// <summary>Fused VolF samples and other z-scored / windowed floats: robust 1–99 % window first.</summary>
    Fused,

    /// <summary>Anything else: full range first.</summary>
    Generic,
}

/// <summary>The name of a kind in the JS module.</summary>
public static class ViewerImageKindNames
{
    public static string ToJs(this ViewerImageKind kind) => kind.ToString().ToLowerInvariant();
}

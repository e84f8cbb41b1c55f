namespace MedSeg.Viewer.Tests.BlazorHost;

/// <summary>What the test page passes to the component (set by the tests through DI).</summary>
public sealed class ViewerPageSettings
{
    public IReadOnlyList<SliceViewerVolume> Volumes { get; set; } = [];
    public IReadOnlyDictionary<int, string> ClassNames { get; set; } = new Dictionary<int, string>();
}

namespace MedSeg.Viewer;

/// <summary>One entry of the viewer's volume picker: an image and its optional label map (NIfTI URLs).</summary>
/// <remarks>URLs of gzipped files must have a path ending in ".gz": the Cornerstone NIfTI loader decides by the path.</remarks>
public sealed record SliceViewerVolume(string Name, string ImageUrl, string? LabelUrl = null);

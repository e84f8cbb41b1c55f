namespace MedSeg.Core.Metrics;

/// <summary>A prediction and its label volume do not describe the same grid (shape or affine differ).</summary>
public sealed class SegmentationMismatchException(string message) : Exception(message);

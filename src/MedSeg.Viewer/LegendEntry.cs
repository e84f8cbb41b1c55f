namespace MedSeg.Viewer;

/// <summary>One label class as drawn by the viewer: label value, name, CSS colour and whether it occurs in the label map.</summary>
public sealed record LegendEntry(int Id, string Name, string Color, bool Present);

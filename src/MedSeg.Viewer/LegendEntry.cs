namespace MedSeg.Viewer;

/// <summary>
/// One label class as drawn by the viewer: label value (1..255), name, CSS colour "#rrggbb" and whether it occurs in the
/// label map. Callers may pass their own entries (<see cref="SliceViewer.Legend"/>): an empty colour takes the viewer's
/// palette colour for that id.
/// </summary>
public sealed record LegendEntry(int Id, string Name, string Color, bool Present)
{
    /// <summary>An entry a caller gives: shown before the label map has loaded, marked absent afterwards if no voxel has it.</summary>
    public static LegendEntry Of(int id, string name, string color = "") => new(id, name, color, true);
}

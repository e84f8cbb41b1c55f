namespace MedSeg.Viewer;

/// <summary>How the views are arranged: the three planes side by side, or one plane over the full width.</summary>
public enum ViewerLayout
{
    /// <summary>Axial, coronal and sagittal side by side ("1x3").</summary>
    ThreeViews,

    /// <summary>One plane alone over the full width ("1x1"), as when a view is maximised.</summary>
    OneView,
}

/// <summary>A slice plane of the viewer.</summary>
public enum ViewerPlane
{
    Axial,
    Coronal,
    Sagittal,
}

/// <summary>Names of layouts and planes in the JS module.</summary>
public static class ViewerLayoutNames
{
    public static string ToJs(this ViewerLayout layout) => layout == ViewerLayout.OneView ? "1x1" : "1x3";

    public static ViewerLayout LayoutFromJs(string name) => name == "1x1" ? ViewerLayout.OneView : ViewerLayout.ThreeViews;

    public static string ToJs(this ViewerPlane plane) => plane.ToString().ToLowerInvariant();

    public static ViewerPlane PlaneFromJs(string name) =>
        Enum.TryParse<ViewerPlane>(name, ignoreCase: true, out var plane) ? plane : ViewerPlane.Axial;
}

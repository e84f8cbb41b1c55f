namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// Whole-shape 90° turns (the reference's ROTATE_L: stay, side1..4, upsidedown; its default config
/// turns them off). Side1/2 turn about the y axis, Side3/4 about the x axis, UpsideDown is 180° about y.
/// </summary>
public enum ShapeOrientation
{
    Stay,
    Side1,
    Side2,
    Side3,
    Side4,
    UpsideDown,
}

internal static class ShapeOrientations
{
    public static (int X, int Y, int Z) RotatedSize(this ShapeOrientation o, int w, int h, int d) => o switch
    {
        ShapeOrientation.Side1 or ShapeOrientation.Side2 => (d, h, w),
        ShapeOrientation.Side3 or ShapeOrientation.Side4 => (w, d, h),
        _ => (w, h, d),
    };

    /// <summary>Where voxel (x, y, z) of a w×h×d box lands after the turn (all proper rotations).</summary>
    public static (int X, int Y, int Z) Map(this ShapeOrientation o, int x, int y, int z, int w, int h, int d) => o switch
    {
        ShapeOrientation.Side1 => (z, y, w - 1 - x),
        ShapeOrientation.Side2 => (d - 1 - z, y, x),
        ShapeOrientation.Side3 => (x, z, h - 1 - y),
        ShapeOrientation.Side4 => (x, d - 1 - z, y),
        ShapeOrientation.UpsideDown => (w - 1 - x, y, d - 1 - z),
        _ => (x, y, z),
    };
}

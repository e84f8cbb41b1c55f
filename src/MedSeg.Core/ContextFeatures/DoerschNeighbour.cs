namespace MedSeg.Core.ContextFeatures;

/// <summary>
/// The six neighbour classes of the 3D Doersch task: class = axis·2 + sign, where axis is the grid coordinate
/// (0 = x, 1 = y, 2 = z) and sign 0 puts the second cube at +0.45, sign 1 at −0.45 (the notebook's (−1)^pm).
/// </summary>
public static class DoerschNeighbour
{
    public const int Classes = 6;
    public const double Distance = 0.45;

    public static int ClassOf(int axis, int sign)
    {
        if (axis is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(axis), $"Axis must be 0, 1 or 2, got {axis}.");
        if (sign is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(sign), $"Sign must be 0 (+) or 1 (−), got {sign}.");
        return axis * 2 + sign;
    }

    /// <summary>The offset (x, y, z) of the second cube's centre from the first's for <paramref name="label"/>.</summary>
    public static (double X, double Y, double Z) Offset(int label)
    {
        if (label is < 0 or >= Classes) throw new ArgumentOutOfRangeException(nameof(label), $"Label must be 0..5, got {label}.");
        double d = label % 2 == 0 ? Distance : -Distance;
        return (label / 2) switch
        {
            0 => (d, 0, 0),
            1 => (0, d, 0),
            _ => (0, 0, d),
        };
    }
}

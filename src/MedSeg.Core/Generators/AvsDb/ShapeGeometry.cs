namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// One sampled shape instance, in its own frame (cross-section centre at the origin, slices 0..Depth−1).
/// Everything needed to rasterise it again, so manifests are self-describing.
/// </summary>
public sealed record ShapeGeometry
{
    /// <summary>0 = ellipse, otherwise polygon vertex count.</summary>
    public int VertexCount { get; init; }

    /// <summary>Polygon vertex radii at γ = 1 (voxels); empty for ellipses.</summary>
    public double[] Radii { get; init; } = [];

    /// <summary>Polygon vertex angles in degrees, increasing, before <see cref="RotationDegrees"/>; empty for ellipses.</summary>
    public double[] AnglesDegrees { get; init; } = [];

    /// <summary>Ellipse semi-axes at γ = 1 (voxels); 0 for polygons.</summary>
    public double SemiAxisA { get; init; }
    public double SemiAxisB { get; init; }

    /// <summary>In-plane rotation of the whole cross-section.</summary>
    public double RotationDegrees { get; init; }

    /// <summary>Isotropic in-plane scale augmentation.</summary>
    public double Scale { get; init; } = 1;

    /// <summary>Whole-shape 90° turn applied after rasterising (Stay unless <see cref="AvsDbSpec.AxisRotations"/>).</summary>
    public ShapeOrientation Orientation { get; init; }

    /// <summary>Number of slices.</summary>
    public int Depth { get; init; }

    public ZRule ZRule { get; init; }
    public double GammaStart { get; init; } = 1;
    public double GammaExtremum { get; init; } = 1;
    public double GammaEnd { get; init; } = 1;

    /// <summary>Slice of the extremum for the concave rules.</summary>
    public int ExtremumSlice { get; init; }

    /// <summary>
    /// Cross-section scale γ at slice z (same piecewise-linear law as the reference code:
    /// rate z/c before the extremum slice c, (z−c)/(D−c) after it, z/D for the linear rules).
    /// </summary>
    public double Gamma(int z) => ZRule switch
    {
        ZRule.Constant => GammaStart,
        ZRule.LinearIncrease or ZRule.LinearDecrease => GammaStart + (GammaEnd - GammaStart) * z / Depth,
        _ when z <= ExtremumSlice => ExtremumSlice == 0
            ? GammaExtremum
            : GammaStart + (GammaExtremum - GammaStart) * z / ExtremumSlice,
        _ => GammaExtremum + (GammaEnd - GammaExtremum) * (z - ExtremumSlice) / (Depth - ExtremumSlice),
    };

    /// <summary>Largest distance of any cross-section point from the centre (voxels).</summary>
    public double MaxExtent()
    {
        double r = VertexCount == 0 ? Math.Max(SemiAxisA, SemiAxisB) : (Radii.Length == 0 ? 0 : Radii.Max());
        double g = 0;
        for (int z = 0; z < Depth; z++) g = Math.Max(g, Gamma(z));
        return r * g * Scale;
    }
}

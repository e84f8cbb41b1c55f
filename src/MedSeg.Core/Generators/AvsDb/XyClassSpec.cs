using static System.FormattableString;
namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// The xy classes (cross-section outlines) and the ranges their instances are drawn from.
/// Defaults are the reference code's values for 96³ volumes (sizes in voxels).
/// </summary>
public sealed record XyClassSpec
{
    /// <summary>Vertex count of each xy class; 0 = ellipse (reference: 0, 3, 4, …, 9).</summary>
    public int[] VertexCounts { get; init; } = [0, 3, 4, 5, 6, 7, 8, 9];

    /// <summary>Side of a polygon's square box; vertex radii are drawn from [PolygonMinRadius, side/2] (reference randint(30, 80)).</summary>
    public IntRange PolygonBoxSide { get; init; } = new(30, 80);

    /// <summary>Smallest vertex radius (reference 15).</summary>
    public double PolygonMinRadius { get; init; } = 15;

    /// <summary>Largest semi-axis bound R_max of an ellipse (reference randint(15, 40)); a, b ~ U[EllipseMinRadius, R_max].</summary>
    public IntRange EllipseMaxRadius { get; init; } = new(15, 40);

    /// <summary>Smallest ellipse semi-axis (reference 15).</summary>
    public double EllipseMinRadius { get; init; } = 15;

    /// <summary>
    /// Vertex angle jitter as a fraction of the angular bin 360°/N: 1 = anywhere in the bin (reference),
    /// 0 = regular polygon.
    /// </summary>
    public double AngleJitter { get; init; } = 1;

    /// <summary>In-plane rotation in degrees (reference: 0–180 for ellipses).</summary>
    public DoubleRange RotationDegrees { get; init; } = new(0, 180);

    /// <summary>Extra isotropic in-plane scale per instance (reference: none, i.e. [1, 1]).</summary>
    public DoubleRange Scale { get; init; } = DoubleRange.Fixed(1);

    public static string ClassName(int vertexCount) => vertexCount == 0 ? "ellipse" : $"polygon{vertexCount}";

    internal void Validate(List<string> errors)
    {
        if (VertexCounts is null || VertexCounts.Length == 0)
            errors.Add("Xy.VertexCounts must list at least one vertex count, got none");
        else
        {
            foreach (int n in VertexCounts)
                if (n != 0 && (n < 3 || n > 64))
                    errors.Add(Invariant($"Xy.VertexCounts entries must be 0 (ellipse) or 3..64, got {n}"));
            if (VertexCounts.Distinct().Count() != VertexCounts.Length)
                errors.Add(Invariant($"Xy.VertexCounts must not repeat a value, got [{string.Join(", ", VertexCounts)}]"));
        }
        if (PolygonBoxSide is null || PolygonBoxSide.Min < 2 || PolygonBoxSide.Min > PolygonBoxSide.Max)
            errors.Add(Invariant($"Xy.PolygonBoxSide must satisfy 2 <= Min <= Max, got {PolygonBoxSide?.ToString() ?? "null"}"));
        else if (!(PolygonMinRadius > 0) || PolygonMinRadius > PolygonBoxSide.Min / 2.0)
            errors.Add(Invariant($"Xy.PolygonMinRadius must be in (0, PolygonBoxSide.Min/2 = {PolygonBoxSide.Min / 2.0}], got {PolygonMinRadius}"));
        if (EllipseMaxRadius is null || !(EllipseMinRadius > 0) || EllipseMaxRadius.Min < EllipseMinRadius || EllipseMaxRadius.Min > EllipseMaxRadius.Max)
            errors.Add(Invariant($"Xy.EllipseMaxRadius must satisfy EllipseMinRadius ({EllipseMinRadius}) <= Min <= Max with EllipseMinRadius > 0, got {EllipseMaxRadius?.ToString() ?? "null"}"));
        if (!(AngleJitter >= 0 && AngleJitter <= 1))
            errors.Add(Invariant($"Xy.AngleJitter must be in [0, 1], got {AngleJitter}"));
        if (RotationDegrees is null || !double.IsFinite(RotationDegrees.Min) || !double.IsFinite(RotationDegrees.Max) || RotationDegrees.Min > RotationDegrees.Max)
            errors.Add(Invariant($"Xy.RotationDegrees must be a finite range with Min <= Max, got {RotationDegrees?.ToString() ?? "null"}"));
        if (Scale is null || !(Scale.Min > 0) || Scale.Min > Scale.Max || !double.IsFinite(Scale.Max))
            errors.Add(Invariant($"Xy.Scale must satisfy 0 < Min <= Max, got {Scale?.ToString() ?? "null"}"));
    }
}

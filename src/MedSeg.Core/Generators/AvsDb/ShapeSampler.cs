using MedSeg.Core.Randomness;
namespace MedSeg.Core.Generators.AvsDb;

/// <summary>Draws a random <see cref="ShapeGeometry"/> of a given (xy, z) class from the spec's ranges.</summary>
internal static class ShapeSampler
{
    public static ShapeGeometry Sample(AvsDbSpec spec, int xyIndex, int zIndex, DeterministicRandom rng)
    {
        var xy = spec.Xy;
        var zc = spec.ZClasses[zIndex];
        int n = xy.VertexCounts[xyIndex];
        double rotation = xy.RotationDegrees.Sample(rng);
        double scale = xy.Scale.Sample(rng);
        double[] radii = [], angles = [];
        double a = 0, b = 0;
        if (n == 0)
        {
            // Reference: R_max ~ randint(15, 40); a, b ~ randint(15, R_max).
            int rMax = xy.EllipseMaxRadius.Sample(rng);
            a = rng.NextDouble(xy.EllipseMinRadius, rMax);
            b = rng.NextDouble(xy.EllipseMinRadius, rMax);
        }
        else
        {
            // Reference: box side ~ randint(30, 80); one vertex per equal angular bin; radius ~ randint(15, side/2).
            int side = xy.PolygonBoxSide.Sample(rng);
            double maxR = Math.Max(xy.PolygonMinRadius, side / 2.0);
            radii = new double[n];
            angles = new double[n];
            double bin = 360.0 / n;
            for (int i = 0; i < n; i++)
            {
                angles[i] = bin * (i + 0.5 + xy.AngleJitter * (rng.NextDouble() - 0.5));
                radii[i] = rng.NextDouble(xy.PolygonMinRadius, maxR);
            }
        }

        int depth = spec.Depth.Sample(rng);
        double g0 = zc.Start.Sample(rng);
        double g1 = zc.Rule is ZRule.ConcaveInside or ZRule.ConcaveOutside ? zc.Extremum.Sample(rng) : g0;
        double g2 = zc.Rule is ZRule.Constant ? g0 : zc.End.Sample(rng);
        int extremum = 0;
        if (zc.Rule is ZRule.ConcaveInside or ZRule.ConcaveOutside)
        {
            // Reference: change_z ~ randint(3, D − 3); the position range narrows it further.
            int lo = Math.Max(zc.ExtremumMargin, (int)Math.Ceiling(zc.ExtremumPosition.Min * depth));
            int hi = Math.Min(depth - zc.ExtremumMargin, (int)Math.Floor(zc.ExtremumPosition.Max * depth));
            extremum = lo <= hi ? rng.NextInt(lo, hi) : depth / 2;
        }

        // Drawn last and only when enabled, so specs without turns keep their random streams.
        var orientation = spec.AxisRotations ? (ShapeOrientation)rng.NextInt(0, 5) : ShapeOrientation.Stay;

        return new ShapeGeometry
        {
            Orientation = orientation,
            VertexCount = n,
            Radii = radii,
            AnglesDegrees = angles,
            SemiAxisA = a,
            SemiAxisB = b,
            RotationDegrees = rotation,
            Scale = scale,
            Depth = depth,
            ZRule = zc.Rule,
            GammaStart = g0,
            GammaExtremum = g1,
            GammaEnd = g2,
            ExtremumSlice = extremum,
        };
    }
}

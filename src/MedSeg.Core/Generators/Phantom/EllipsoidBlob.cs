namespace MedSeg.Core.Generators.Phantom;

/// <summary>
/// An organ-like solid: an ellipsoid (semi-axes a, b in-plane, rotated by an angle about z, c along z) whose
/// surface is lobulated by a smooth field, r(p) = |local(p)| / (1 + amplitude·field(local(p))). Inside is r &lt; 1;
/// r also gives a depth (cortex = outer shell). Coordinates are the phantom's normalised anatomy units.
/// </summary>
internal sealed class EllipsoidBlob
{
    private readonly double _cu, _cv, _cw, _a, _b, _c, _cos, _sin, _amplitude, _reach, _reachW;
    private readonly SmoothField? _lobes;

    public EllipsoidBlob(double cu, double cv, double cw, double a, double b, double c, double angleDegrees,
                         double lobulation = 0, SmoothField? lobes = null)
    {
        _cu = cu; _cv = cv; _cw = cw; _a = a; _b = b; _c = c;
        double t = angleDegrees * Math.PI / 180;
        _cos = Math.Cos(t); _sin = Math.Sin(t);
        _amplitude = lobes is null ? 0 : lobulation;
        _lobes = lobes;
        // Bounding reach for a quick reject; the lobe field stays within about ±3.
        double grow = 1 + 3 * _amplitude;
        _reach = Math.Max(a, b) * grow;
        _reachW = c * grow;
    }

    /// <summary>Normalised radius at a point: &lt; 1 inside, +∞ when clearly outside.</summary>
    public double Radius(double u, double v, double w) => Radius(u, v, w, out _, out _, out _);

    /// <summary>Normalised radius plus the point's local coordinates (in semi-axis units).</summary>
    public double Radius(double u, double v, double w, out double lx, out double ly, out double lz)
    {
        double du = u - _cu, dv = v - _cv, dw = w - _cw;
        if (Math.Abs(du) > _reach || Math.Abs(dv) > _reach || Math.Abs(dw) > _reachW)
        {
            lx = ly = lz = double.PositiveInfinity;
            return double.PositiveInfinity;
        }
        lx = (_cos * du + _sin * dv) / _a;
        ly = (-_sin * du + _cos * dv) / _b;
        lz = dw / _c;
        double r = Math.Sqrt(lx * lx + ly * ly + lz * lz);
        if (_lobes is null) return r;
        return r / Math.Max(0.2, 1 + _amplitude * _lobes.Value(lx, ly, lz));
    }
}

using System.Buffers;

namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// Turns a <see cref="ShapeGeometry"/> into voxels: per slice, a scanline fill of the scaled polygon
/// (or the analytic row intervals of the ellipse) into a 2D scratch mask, an optional inner outline
/// band of the given width (Chebyshev erosion), then a crop to the tight bounding box.
/// Pixel (i, j) of a slice is inside when its centre is (half-open on the right edge for polygons).
/// </summary>
internal sealed class ShapeRasterizer
{
    private byte[] _slice = [];
    private byte[] _eroded = [];
    private byte[] _volume = [];
    private int[] _prefix = [];

    public ShapeRaster Rasterize(ShapeGeometry g, int outlineWidth, ArrayPool<byte>? pool = null)
    {
        int r = (int)Math.Ceiling(g.MaxExtent()) + 2;
        int side = 2 * r + 1;
        int depth = g.Depth;
        EnsureCapacity(ref _slice, side * side);
        EnsureCapacity(ref _eroded, side * side);
        EnsureCapacity(ref _prefix, side + 1);
        EnsureCapacity(ref _volume, side * side * depth);
        var volume = _volume.AsSpan(0, side * side * depth);
        volume.Clear();

        int minX = int.MaxValue, minY = int.MaxValue, minZ = int.MaxValue, maxX = -1, maxY = -1, maxZ = -1;
        long count = 0;
        for (int z = 0; z < depth; z++)
        {
            var slice = _slice.AsSpan(0, side * side);
            slice.Clear();
            double gamma = g.Gamma(z) * g.Scale;
            var box = g.VertexCount == 0 ? FillEllipse(slice, side, r, g, gamma) : FillPolygon(slice, side, r, g, gamma);
            if (box.Empty) continue;
            if (outlineWidth > 0) MarkOutline(slice, side, box, outlineWidth);
            var dst = volume.Slice(z * side * side, side * side);
            for (int y = box.Y0; y <= box.Y1; y++)
                for (int x = box.X0; x <= box.X1; x++)
                {
                    byte v = slice[y * side + x];
                    if (v == 0) continue;
                    dst[y * side + x] = v;
                    count++;
                }
            minX = Math.Min(minX, box.X0); maxX = Math.Max(maxX, box.X1);
            minY = Math.Min(minY, box.Y0); maxY = Math.Max(maxY, box.Y1);
            minZ = Math.Min(minZ, z); maxZ = Math.Max(maxZ, z);
        }

        if (count == 0) return new ShapeRaster(g, 0, 0, 0, [], 0, null);
        int w = maxX - minX + 1, h = maxY - minY + 1, d = maxZ - minZ + 1;
        byte[] outBox = pool?.Rent(w * h * d) ?? new byte[w * h * d];
        for (int z = 0; z < d; z++)
            for (int y = 0; y < h; y++)
                volume.Slice(((z + minZ) * side + y + minY) * side + minX, w)
                      .CopyTo(outBox.AsSpan((z * h + y) * w, w));
        return new ShapeRaster(g, w, h, d, outBox, count, pool);
    }

    private readonly record struct Rect(int X0, int Y0, int X1, int Y1)
    {
        public static Rect None => new(int.MaxValue, int.MaxValue, -1, -1);
        public bool Empty => X1 < X0 || Y1 < Y0;
        public Rect Include(int x0, int x1, int y) =>
            new(Math.Min(X0, x0), Math.Min(Y0, y), Math.Max(X1, x1), Math.Max(Y1, y));
    }

    private static Rect FillPolygon(Span<byte> slice, int side, int r, ShapeGeometry g, double gamma)
    {
        int n = g.VertexCount;
        Span<double> vx = stackalloc double[n];
        Span<double> vy = stackalloc double[n];
        Span<double> xs = stackalloc double[n];
        double minVy = double.MaxValue, maxVy = double.MinValue;
        for (int k = 0; k < n; k++)
        {
            double theta = (g.AnglesDegrees[k] + g.RotationDegrees) * (Math.PI / 180);
            double rad = g.Radii[k] * gamma;
            vx[k] = rad * Math.Cos(theta);
            vy[k] = rad * Math.Sin(theta);
            minVy = Math.Min(minVy, vy[k]); maxVy = Math.Max(maxVy, vy[k]);
        }
        var rect = Rect.None;
        int j0 = Math.Max(0, (int)Math.Ceiling(minVy + r)), j1 = Math.Min(side - 1, (int)Math.Floor(maxVy + r));
        for (int j = j0; j <= j1; j++)
        {
            double y = j - r;
            int c = 0;
            for (int k = 0; k < n; k++)
            {
                int k1 = k + 1 == n ? 0 : k + 1;
                double y0 = vy[k], y1 = vy[k1];
                if ((y0 <= y) != (y1 <= y))
                    xs[c++] = vx[k] + (y - y0) * (vx[k1] - vx[k]) / (y1 - y0);
            }
            InsertionSort(xs[..c]);
            for (int p = 0; p + 1 < c; p += 2)
            {
                int i0 = Math.Max(0, (int)Math.Ceiling(xs[p] + r));
                int i1 = Math.Min(side - 1, (int)Math.Ceiling(xs[p + 1] + r) - 1);
                if (i1 < i0) continue;
                slice.Slice(j * side + i0, i1 - i0 + 1).Fill(ShapeRaster.Inside);
                rect = rect.Include(i0, i1, j);
            }
        }
        return rect;
    }

    private static Rect FillEllipse(Span<byte> slice, int side, int r, ShapeGeometry g, double gamma)
    {
        double a = g.SemiAxisA * gamma, b = g.SemiAxisB * gamma;
        var rect = Rect.None;
        if (!(a > 0 && b > 0)) return rect;
        double phi = g.RotationDegrees * (Math.PI / 180);
        double c = Math.Cos(phi), s = Math.Sin(phi);
        // Inside when u²/a² + v²/b² <= 1 with u = dx·c + dy·s, v = −dx·s + dy·c: a quadratic in dx per row.
        double alpha = c * c / (a * a) + s * s / (b * b);
        double beta = c * s * (1 / (a * a) - 1 / (b * b));
        double gam = s * s / (a * a) + c * c / (b * b);
        double halfHeight = Math.Sqrt(a * a * s * s + b * b * c * c);
        int j0 = Math.Max(0, (int)Math.Ceiling(r - halfHeight)), j1 = Math.Min(side - 1, (int)Math.Floor(r + halfHeight));
        for (int j = j0; j <= j1; j++)
        {
            double dy = j - r;
            double disc = beta * beta * dy * dy - alpha * (gam * dy * dy - 1);
            if (disc < 0) continue;
            double sq = Math.Sqrt(disc);
            int i0 = Math.Max(0, (int)Math.Ceiling((-beta * dy - sq) / alpha + r));
            int i1 = Math.Min(side - 1, (int)Math.Floor((-beta * dy + sq) / alpha + r));
            if (i1 < i0) continue;
            slice.Slice(j * side + i0, i1 - i0 + 1).Fill(ShapeRaster.Inside);
            rect = rect.Include(i0, i1, j);
        }
        return rect;
    }

    /// <summary>
    /// Marks inside pixels within Chebyshev distance ≤ width of an outside pixel as outline (value 2):
    /// the mask minus its erosion by a (2·width+1)² square, done separably with prefix sums.
    /// Width 1 keeps the pixels touching the outside; width 2 is the reference's 2-pixel line.
    /// </summary>
    private void MarkOutline(Span<byte> slice, int side, Rect box, int width)
    {
        var eroded = _eroded.AsSpan(0, side * side);
        var prefix = _prefix.AsSpan();
        int x0 = box.X0, x1 = box.X1, y0 = box.Y0, y1 = box.Y1;
        // Horizontal pass: eroded = 1 where all of [x − width, x + width] is inside (outside the box counts as outside).
        int reach = width;
        for (int y = y0; y <= y1; y++)
        {
            int row = y * side;
            prefix[0] = 0;
            for (int x = x0; x <= x1; x++) prefix[x - x0 + 1] = prefix[x - x0] + (slice[row + x] != 0 ? 1 : 0);
            for (int x = x0; x <= x1; x++)
            {
                int a = x - reach, b = x + reach;
                eroded[row + x] = (byte)(a >= x0 && b <= x1 && prefix[b - x0 + 1] - prefix[a - x0] == b - a + 1 ? 1 : 0);
            }
        }
        // Vertical pass over the horizontal result: interior only if the whole square around it is inside.
        for (int x = x0; x <= x1; x++)
        {
            prefix[0] = 0;
            for (int y = y0; y <= y1; y++) prefix[y - y0 + 1] = prefix[y - y0] + eroded[y * side + x];
            for (int y = y0; y <= y1; y++)
            {
                int i = y * side + x;
                if (slice[i] == 0) continue;
                int a = y - reach, b = y + reach;
                bool interior = a >= y0 && b <= y1 && prefix[b - y0 + 1] - prefix[a - y0] == b - a + 1;
                if (!interior) slice[i] = ShapeRaster.OutlineInside;
            }
        }
    }

    private static void InsertionSort(Span<double> a)
    {
        for (int i = 1; i < a.Length; i++)
        {
            double v = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
            a[j + 1] = v;
        }
    }

    private static void EnsureCapacity<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[Math.Max(length, buffer.Length * 2)];
    }
}

using System.Buffers;

namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// Turns a <see cref="ShapeGeometry"/> into voxels: per slice, a scanline fill of the scaled polygon
/// (or the analytic row intervals of the ellipse) into a 2D scratch mask, an optional inner outline
/// band of the given width (<see cref="SliceOutline"/>), then a crop to the tight bounding box.
/// Pixel (i, j) of a slice is inside when its centre is (half-open on the right edge for polygons).
/// </summary>
internal sealed class ShapeRasterizer
{
    private byte[] _slice = [];
    private byte[] _volume = [];
    private Rect[] _sliceRects = [];
    private readonly SliceOutline _outline = new();

    /// <remarks>
    /// The 2D and 3D scratch buffers are all-zero between calls: only the rectangles a slice touched
    /// are cleared afterwards, instead of whole buffers (most of a scratch slice stays empty).
    /// </remarks>
    public ShapeRaster Rasterize(ShapeGeometry g, int outlineWidth, ArrayPool<byte>? pool = null)
    {
        int r = (int)Math.Ceiling(g.MaxExtent()) + 2;
        int side = 2 * r + 1, plane = side * side;
        int depth = g.Depth;
        EnsureCapacity(ref _slice, plane);
        EnsureCapacity(ref _volume, plane * depth);
        EnsureCapacity(ref _sliceRects, depth);
        var slice = _slice.AsSpan(0, plane);
        var volume = _volume.AsSpan(0, plane * depth);

        int minX = int.MaxValue, minY = int.MaxValue, minZ = int.MaxValue, maxX = -1, maxY = -1, maxZ = -1;
        long count = 0;
        for (int z = 0; z < depth; z++)
        {
            double gamma = g.Gamma(z) * g.Scale;
            var box = g.VertexCount == 0 ? FillEllipse(slice, side, r, g, gamma) : FillPolygon(slice, side, r, g, gamma);
            _sliceRects[z] = box;
            if (box.Empty) continue;
            if (outlineWidth > 0) _outline.Mark(slice, side, box.X0, box.Y0, box.X1, box.Y1, outlineWidth);
            int w0 = box.X1 - box.X0 + 1;
            for (int y = box.Y0; y <= box.Y1; y++)
            {
                var src = slice.Slice(y * side + box.X0, w0);
                src.CopyTo(volume.Slice(z * plane + y * side + box.X0, w0));
                count += w0 - src.Count((byte)0);
                src.Clear();
            }
            minX = Math.Min(minX, box.X0); maxX = Math.Max(maxX, box.X1);
            minY = Math.Min(minY, box.Y0); maxY = Math.Max(maxY, box.Y1);
            minZ = Math.Min(minZ, z); maxZ = Math.Max(maxZ, z);
        }

        if (count == 0) return new ShapeRaster(g, 0, 0, 0, [], 0, null);
        int w = maxX - minX + 1, h = maxY - minY + 1, d = maxZ - minZ + 1;
        byte[] outBox = pool?.Rent(w * h * d) ?? new byte[w * h * d];
        var (ow, oh, od) = g.Orientation.RotatedSize(w, h, d);
        if (g.Orientation == ShapeOrientation.Stay)
        {
            for (int z = 0; z < d; z++)
                for (int y = 0; y < h; y++)
                    volume.Slice(((z + minZ) * side + y + minY) * side + minX, w)
                          .CopyTo(outBox.AsSpan((z * h + y) * w, w));
        }
        else
        {
            for (int z = 0; z < d; z++)
                for (int y = 0; y < h; y++)
                {
                    var row = volume.Slice(((z + minZ) * side + y + minY) * side + minX, w);
                    for (int x = 0; x < w; x++)
                    {
                        var (rx, ry, rz) = g.Orientation.Map(x, y, z, w, h, d);
                        outBox[rx + ow * (ry + oh * rz)] = row[x];
                    }
                }
        }

        for (int z = minZ; z <= maxZ; z++)
        {
            var box = _sliceRects[z];
            if (box.Empty) continue;
            for (int y = box.Y0; y <= box.Y1; y++)
                volume.Slice(z * plane + y * side + box.X0, box.X1 - box.X0 + 1).Clear();
        }
        return new ShapeRaster(g, ow, oh, od, outBox, count, pool);
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

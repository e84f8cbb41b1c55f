using System.Numerics;

namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// Marks the outline band of a filled 2D mask (values 0/1) in place: inside pixels within Chebyshev
/// distance ≤ width of an outside pixel become 2. That is the mask minus its erosion by a
/// (2·width+1)² square. Width 1 keeps the pixels touching the outside; width 2 is the reference's
/// 2-pixel line. Pixels outside the given rectangle count as outside.
/// </summary>
internal sealed class SliceOutline
{
    private byte[] _rowEroded = [];
    private byte[] _interior = [];

    public void Mark(Span<byte> slice, int stride, int x0, int y0, int x1, int y1, int width)
    {
        int w = x1 - x0 + 1, h = y1 - y0 + 1;
        if (_rowEroded.Length < w * h) _rowEroded = new byte[Math.Max(w * h, _rowEroded.Length * 2)];
        if (_interior.Length < w) _interior = new byte[Math.Max(w, _interior.Length * 2)];
        var eroded = _rowEroded.AsSpan(0, w * h);
        eroded.Clear();

        // Horizontal erosion: every run [s, e] of inside pixels keeps [s + width, e − width].
        for (int y = 0; y < h; y++)
        {
            var row = slice.Slice((y + y0) * stride + x0, w);
            var dst = eroded.Slice(y * w, w);
            int x = 0;
            while (x < w)
            {
                int start = row[x..].IndexOfAnyExcept((byte)0);
                if (start < 0) break;
                start += x;
                int len = row[start..].IndexOf((byte)0);
                int end = (len < 0 ? w : start + len) - 1;
                if (end - start >= 2 * width) dst[(start + width)..(end - width + 1)].Fill(1);
                x = end + 1;
            }
        }

        // Vertical erosion (AND of the 2·width+1 rows around y), then inside − interior = outline.
        var interior = _interior.AsSpan(0, w);
        for (int y = 0; y < h; y++)
        {
            var row = slice.Slice((y + y0) * stride + x0, w);
            if (y - width < 0 || y + width >= h)
            {
                Replace(row); // too close to the rectangle's edge: nothing here is interior
                continue;
            }
            eroded.Slice((y - width) * w, w).CopyTo(interior);
            for (int k = -width + 1; k <= width; k++) AndInto(interior, eroded.Slice((y + k) * w, w));
            MarkWhereNotInterior(row, interior);
        }
    }

    private static void Replace(Span<byte> row)
    {
        for (int i = 0; i < row.Length; i++) if (row[i] != 0) row[i] = ShapeRaster.OutlineInside;
    }

    private static void AndInto(Span<byte> acc, ReadOnlySpan<byte> other)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i + Vector<byte>.Count <= acc.Length; i += Vector<byte>.Count)
                (new Vector<byte>(acc[i..]) & new Vector<byte>(other[i..])).CopyTo(acc[i..]);
        for (; i < acc.Length; i++) acc[i] &= other[i];
    }

    /// <summary>row = row + (row AND NOT interior): 1 → 2 where the pixel is inside but not interior.</summary>
    private static void MarkWhereNotInterior(Span<byte> row, ReadOnlySpan<byte> interior)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<byte>.One;
            for (; i + Vector<byte>.Count <= row.Length; i += Vector<byte>.Count)
            {
                var v = new Vector<byte>(row[i..]);
                (v + (v & (new Vector<byte>(interior[i..]) ^ one))).CopyTo(row[i..]);
            }
        }
        for (; i < row.Length; i++) row[i] = (byte)(row[i] + (row[i] & (interior[i] ^ 1)));
    }
}

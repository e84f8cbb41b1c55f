namespace MedSeg.Core.Metrics;

/// <summary>
/// Exact Euclidean distance transform on a 3D grid with anisotropic voxel spacing, after
/// Felzenszwalb &amp; Huttenlocher, "Distance Transforms of Sampled Functions" (Theory of Computing, 2012):
/// the squared distance is separable, so one pass per axis computes the lower envelope of parabolas
/// centred on the previous pass's values. O(N) in the number of voxels; lines run in parallel.
/// Layout matches <see cref="Volumes.Volume"/>: index x + X·(y + Y·z).
/// </summary>
/// <remarks>
/// Same values as scipy's <c>distance_transform_edt(~feature, sampling=spacing)</c> (which MONAI uses):
/// distance from each voxel to the centre of the nearest feature voxel, in the units of
/// <paramref name="spacing"/> (mm), 0 on feature voxels. With no feature voxel at all every distance is
/// +∞ (scipy would instead measure to the array border; MONAI never asks for that case).
/// </remarks>
public static class EuclideanDistanceTransform
{
    /// <summary>Squared distance (mm²) from every voxel to the nearest voxel where <paramref name="feature"/> is true.</summary>
    public static double[] SquaredDistances(bool[] feature, int sizeX, int sizeY, int sizeZ, ReadOnlySpan<double> spacing)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (sizeX <= 0 || sizeY <= 0 || sizeZ <= 0)
            throw new ArgumentException($"Shape must be positive, got {sizeX}×{sizeY}×{sizeZ}.");
        if ((long)sizeX * sizeY * sizeZ != feature.LongLength)
            throw new ArgumentException($"Mask holds {feature.LongLength} voxels but shape {sizeX}×{sizeY}×{sizeZ} needs {(long)sizeX * sizeY * sizeZ}.");
        if (spacing.Length != 3 || !(spacing[0] > 0 && spacing[1] > 0 && spacing[2] > 0)
            || !double.IsFinite(spacing[0]) || !double.IsFinite(spacing[1]) || !double.IsFinite(spacing[2]))
            throw new ArgumentException($"Spacing must be three positive finite numbers, got [{string.Join(", ", spacing.ToArray())}].");

        double sx = spacing[0], sy = spacing[1], sz = spacing[2];
        var d = new double[feature.Length];
        int nx = sizeX, ny = sizeY, nz = sizeZ;
        long plane = (long)nx * ny;

        // Pass 1 (X): the exact 1D distance to the nearest feature along each row, by two sweeps.
        Parallel.For(0, ny * nz, row =>
        {
            long start = (long)row * nx;
            double last = double.NegativeInfinity; // x of the last feature seen
            for (int x = 0; x < nx; x++)
            {
                if (feature[start + x]) last = x;
                double gap = (x - last) * sx;
                d[start + x] = gap * gap; // +∞ while no feature seen yet
            }
            last = double.PositiveInfinity;
            for (int x = nx - 1; x >= 0; x--)
            {
                if (feature[start + x]) last = x;
                double gap = (last - x) * sx;
                if (gap * gap < d[start + x]) d[start + x] = gap * gap;
            }
        });

        // Pass 2 (Y) and pass 3 (Z): lower envelope of parabolas along the column.
        if (ny > 1)
            Parallel.For(0, nz, () => new EnvelopeBuffers(ny), (z, _, buf) =>
            {
                for (int x = 0; x < nx; x++)
                    TransformLine(d, z * plane + x, nx, ny, sy, buf);
                return buf;
            }, _ => { });
        if (nz > 1)
            Parallel.For(0, ny, () => new EnvelopeBuffers(nz), (y, _, buf) =>
            {
                for (int x = 0; x < nx; x++)
                    TransformLine(d, (long)y * nx + x, plane, nz, sz, buf);
                return buf;
            }, _ => { });
        return d;
    }

    /// <summary>Euclidean distance (mm): the square root of <see cref="SquaredDistances"/>.</summary>
    public static double[] Distances(bool[] feature, int sizeX, int sizeY, int sizeZ, ReadOnlySpan<double> spacing)
    {
        var d = SquaredDistances(feature, sizeX, sizeY, sizeZ, spacing);
        for (int i = 0; i < d.Length; i++) d[i] = Math.Sqrt(d[i]);
        return d;
    }

    /// <summary>Per-thread scratch space for one line: its values, parabola vertices and envelope boundaries.</summary>
    private sealed class EnvelopeBuffers(int n)
    {
        public readonly double[] F = new double[n];
        public readonly int[] V = new int[n];
        public readonly double[] Z = new double[n + 1];
    }

    /// <summary>
    /// One line of n samples at <paramref name="start"/> + i·<paramref name="stride"/>, sample spacing
    /// <paramref name="s"/>: d(p) = min_q ((p − q)·s)² + f(q). Samples with f = +∞ add no parabola.
    /// </summary>
    private static void TransformLine(double[] d, long start, long stride, int n, double s, EnvelopeBuffers buf)
    {
        var f = buf.F; var v = buf.V; var z = buf.Z;
        for (int i = 0; i < n; i++) f[i] = d[start + i * stride];

        int k = -1;
        for (int q = 0; q < n; q++)
        {
            if (double.IsPositiveInfinity(f[q])) continue;
            double pq = q * s, fq = f[q] + pq * pq;
            double boundary = double.NegativeInfinity;
            while (k >= 0)
            {
                double pv = v[k] * s;
                // Where parabola q starts to lie below parabola v[k].
                boundary = (fq - (f[v[k]] + pv * pv)) / (2 * (pq - pv));
                if (boundary <= z[k]) k--;
                else break;
            }
            k++;
            v[k] = q;
            z[k] = k == 0 ? double.NegativeInfinity : boundary;
            z[k + 1] = double.PositiveInfinity;
        }
        if (k < 0) return; // the whole line is +∞ already

        int j = 0;
        for (int p = 0; p < n; p++)
        {
            double pp = p * s;
            while (z[j + 1] < pp) j++;
            double gap = pp - v[j] * s;
            d[start + p * stride] = gap * gap + f[v[j]];
        }
    }
}

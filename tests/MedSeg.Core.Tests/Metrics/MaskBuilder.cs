namespace MedSeg.Core.Tests.Metrics;

/// <summary>Hand-built binary masks and a brute-force distance reference for the metric tests.</summary>
internal static class MaskBuilder
{
    /// <summary>Mask of shape nx×ny×nz, true inside the box [x0,x1)×[y0,y1)×[z0,z1).</summary>
    public static bool[] Box(int nx, int ny, int nz, int x0, int x1, int y0, int y1, int z0, int z1)
    {
        var m = new bool[nx * ny * nz];
        for (int z = z0; z < z1; z++)
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++)
                    m[x + nx * (y + ny * z)] = true;
        return m;
    }

    /// <summary>Distance from every voxel to the nearest true voxel by trying every pair (+∞ when none).</summary>
    public static double[] BruteForceDistances(bool[] feature, int nx, int ny, int nz, double[] s)
    {
        var result = new double[feature.Length];
        for (int i = 0; i < feature.Length; i++)
        {
            int x = i % nx, y = i / nx % ny, z = i / (nx * ny);
            double best = double.PositiveInfinity;
            for (int j = 0; j < feature.Length; j++)
            {
                if (!feature[j]) continue;
                double dx = (j % nx - x) * s[0], dy = (j / nx % ny - y) * s[1], dz = (j / (nx * ny) - z) * s[2];
                best = Math.Min(best, dx * dx + dy * dy + dz * dz);
            }
            result[i] = Math.Sqrt(best);
        }
        return result;
    }
}

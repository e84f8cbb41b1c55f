namespace MedSeg.Core.Preprocessing;

/// <summary>Small dense helpers for 3×3 matrices (row-major double[9]) and the 4×4 voxel-to-world affine.</summary>
internal static class AffineMath
{
    /// <summary>Upper-left 3×3 of a row-major 4×4 affine.</summary>
    public static double[] Linear(double[] affine) =>
    [
        affine[0], affine[1], affine[2],
        affine[4], affine[5], affine[6],
        affine[8], affine[9], affine[10],
    ];

    public static double[] Translation(double[] affine) => [affine[3], affine[7], affine[11]];

    public static double[] Compose(double[] linear, double[] translation) =>
    [
        linear[0], linear[1], linear[2], translation[0],
        linear[3], linear[4], linear[5], translation[1],
        linear[6], linear[7], linear[8], translation[2],
        0, 0, 0, 1,
    ];

    public static double[] Multiply(double[] a, double[] b)
    {
        var r = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
        return r;
    }

    public static double[] Apply(double[] m, double[] v) =>
    [
        m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
        m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
        m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
    ];

    /// <summary>World position of voxel coordinates (i, j, k) under a 4×4 affine.</summary>
    public static double[] VoxelToWorld(double[] affine, double i, double j, double k) =>
    [
        affine[0] * i + affine[1] * j + affine[2] * k + affine[3],
        affine[4] * i + affine[5] * j + affine[6] * k + affine[7],
        affine[8] * i + affine[9] * j + affine[10] * k + affine[11],
    ];

    public static double[] Inverse(double[] m)
    {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
        double det = a * A + b * B + c * C;
        if (!(Math.Abs(det) > 1e-12) || !double.IsFinite(det))
            throw new ArgumentException($"Affine is singular (determinant {det}); cannot invert [{string.Join(", ", m)}].");
        double s = 1 / det;
        return
        [
            A * s, -(b * i - c * h) * s, (b * f - c * e) * s,
            B * s, (a * i - c * g) * s, -(a * f - c * d) * s,
            C * s, -(a * h - b * g) * s, (a * e - b * d) * s,
        ];
    }

    /// <summary>Column norms (voxel sizes implied by the affine).</summary>
    public static double[] ColumnNorms(double[] m) =>
    [
        Math.Sqrt(m[0] * m[0] + m[3] * m[3] + m[6] * m[6]),
        Math.Sqrt(m[1] * m[1] + m[4] * m[4] + m[7] * m[7]),
        Math.Sqrt(m[2] * m[2] + m[5] * m[5] + m[8] * m[8]),
    ];

    public static double[] Transpose(double[] m) => [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];

    /// <summary>Lower-triangular L with L·Lᵀ = S for a symmetric positive definite S.</summary>
    public static double[] Cholesky(double[] s)
    {
        var l = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = s[i * 3 + j];
                for (int k = 0; k < j; k++) sum -= l[i * 3 + k] * l[j * 3 + k];
                if (i == j)
                {
                    if (!(sum > 0)) throw new ArgumentException("Affine's linear part is singular; cannot decompose it.");
                    l[i * 3 + i] = Math.Sqrt(sum);
                }
                else l[i * 3 + j] = sum / l[j * 3 + j];
            }
        return l;
    }
}

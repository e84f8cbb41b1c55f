namespace MedSeg.Core.Nifti;

/// <summary>
/// Voxel-to-world geometry of a NIfTI-1 header: which transform to trust (sform, qform, pixdim),
/// quaternion ↔ matrix conversions (formulas of nifti1_io.c), and filling a header from an affine.
/// Affines are row-major 4×4 double[16].
/// </summary>
public static class NiftiGeometry
{
    /// <summary>Largest |RᵀR − I| entry for which a rotation is considered exact enough for a qform.</summary>
    private const double OrthogonalityTolerance = 1e-4;

    /// <summary>sform when sform_code &gt; 0, else qform when qform_code &gt; 0, else pixdim — nibabel's order.</summary>
    public static NiftiAffineSource SourceOf(NiftiHeader h) =>
        h.SFormCode > 0 && h.SRowX.Concat(h.SRowY).Concat(h.SRowZ).All(float.IsFinite) ? NiftiAffineSource.SForm
        : h.QFormCode > 0 ? NiftiAffineSource.QForm
        : NiftiAffineSource.PixDim;

    /// <summary>
    /// The affine selected by <see cref="SourceOf"/>. The pixdim fallback is diag(spacing) with origin 0
    /// (nibabel instead centres an ANALYZE-style flipped affine; we keep the plain diagonal).
    /// </summary>
    public static double[] AffineOf(NiftiHeader h) => SourceOf(h) switch
    {
        NiftiAffineSource.SForm => SFormAffine(h),
        NiftiAffineSource.QForm => QFormAffine(h),
        _ => Volumes.Volume.DiagonalAffine([PositiveOr1(h.PixDim[1]), PositiveOr1(h.PixDim[2]), PositiveOr1(h.PixDim[3])]),
    };

    public static double[] SFormAffine(NiftiHeader h) =>
    [
        h.SRowX[0], h.SRowX[1], h.SRowX[2], h.SRowX[3],
        h.SRowY[0], h.SRowY[1], h.SRowY[2], h.SRowY[3],
        h.SRowZ[0], h.SRowZ[1], h.SRowZ[2], h.SRowZ[3],
        0, 0, 0, 1,
    ];

    /// <summary>
    /// qform affine: R(a,b,c,d) · diag(dx, dy, qfac·dz) plus qoffset, with a = √(1 − b² − c² − d²),
    /// qfac = −1 when pixdim[0] &lt; 0 else 1, and non-positive pixdim taken as 1 (as nifti1_io does).
    /// </summary>
    public static double[] QFormAffine(NiftiHeader h)
    {
        double b = h.QuaternB, c = h.QuaternC, d = h.QuaternD;
        double a = 1.0 - (b * b + c * c + d * d);
        if (a < 1e-7)
        {
            // 180° rotation: renormalise (b, c, d) and take a = 0, as nifti1_io does.
            double n = 1.0 / Math.Sqrt(b * b + c * c + d * d);
            b *= n; c *= n; d *= n; a = 0;
        }
        else a = Math.Sqrt(a);

        double dx = PositiveOr1(h.PixDim[1]), dy = PositiveOr1(h.PixDim[2]), dz = PositiveOr1(h.PixDim[3]);
        if (h.PixDim[0] < 0) dz = -dz;
        double[,] r = RotationOf(a, b, c, d);
        return
        [
            r[0, 0] * dx, r[0, 1] * dy, r[0, 2] * dz, h.QOffsetX,
            r[1, 0] * dx, r[1, 1] * dy, r[1, 2] * dz, h.QOffsetY,
            r[2, 0] * dx, r[2, 1] * dy, r[2, 2] * dz, h.QOffsetZ,
            0, 0, 0, 1,
        ];
    }

    /// <summary>Rotation matrix of the unit quaternion (a, b, c, d).</summary>
    public static double[,] RotationOf(double a, double b, double c, double d) => new[,]
    {
        { a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c) },
        { 2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b) },
        { 2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b },
    };

    /// <summary>
    /// Voxel spacing: |pixdim[1..3]| where positive and finite; otherwise that column's length in the
    /// chosen affine; otherwise 1 (so a header with zero pixdim still gives a usable volume).
    /// </summary>
    public static double[] SpacingOf(NiftiHeader h)
    {
        double[]? affine = null;
        var spacing = new double[3];
        for (int i = 0; i < 3; i++)
        {
            double p = Math.Abs(h.PixDim[i + 1]);
            if (p > 0 && double.IsFinite(p)) { spacing[i] = p; continue; }
            affine ??= AffineOf(h);
            double col = ColumnLength(affine, i);
            spacing[i] = col > 0 && double.IsFinite(col) ? col : 1.0;
        }
        return spacing;
    }

    /// <summary>
    /// Sets pixdim, sform and (when the affine is a rotation/flip times diag(spacing)) qform from an affine.
    /// A sheared or spacing-inconsistent affine cannot be a qform, so qform_code is then left 0 and
    /// only the sform carries it — readers following nibabel's order use the sform anyway.
    /// </summary>
    public static void SetGeometry(NiftiHeader h, double[] affine, double[] spacing, short sformCode, short qformCode)
    {
        if (affine.Length != 16) throw new ArgumentException("Affine must have 16 elements (4×4, row-major).", nameof(affine));
        h.PixDim[1] = (float)spacing[0];
        h.PixDim[2] = (float)spacing[1];
        h.PixDim[3] = (float)spacing[2];
        h.SFormCode = sformCode;
        for (int i = 0; i < 4; i++)
        {
            h.SRowX[i] = (float)affine[i];
            h.SRowY[i] = (float)affine[4 + i];
            h.SRowZ[i] = (float)affine[8 + i];
        }

        h.PixDim[0] = 1;
        h.QFormCode = 0;
        h.QuaternB = h.QuaternC = h.QuaternD = 0;
        h.QOffsetX = (float)affine[3];
        h.QOffsetY = (float)affine[7];
        h.QOffsetZ = (float)affine[11];
        if (TryQuaternion(affine, spacing, out double qb, out double qc, out double qd, out double qfac))
        {
            h.QFormCode = qformCode;
            h.QuaternB = (float)qb;
            h.QuaternC = (float)qc;
            h.QuaternD = (float)qd;
            h.PixDim[0] = (float)qfac;
        }
    }

    /// <summary>
    /// Quaternion (b, c, d) and qfac of affine = R · diag(s0, s1, qfac·s2), when R is a proper rotation
    /// within <see cref="OrthogonalityTolerance"/> (nifti_mat44_to_quatern, without its polar decomposition).
    /// </summary>
    public static bool TryQuaternion(double[] affine, double[] spacing, out double b, out double c, out double d, out double qfac)
    {
        b = c = d = 0; qfac = 1;
        var r = new double[3, 3];
        for (int col = 0; col < 3; col++)
        {
            if (!(spacing[col] > 0)) return false;
            for (int row = 0; row < 3; row++) r[row, col] = affine[4 * row + col] / spacing[col];
        }
        double det = r[0, 0] * (r[1, 1] * r[2, 2] - r[1, 2] * r[2, 1])
                   - r[0, 1] * (r[1, 0] * r[2, 2] - r[1, 2] * r[2, 0])
                   + r[0, 2] * (r[1, 0] * r[2, 1] - r[1, 1] * r[2, 0]);
        if (det < 0)
        {
            qfac = -1;
            for (int row = 0; row < 3; row++) r[row, 2] = -r[row, 2];
        }
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                double dot = r[0, i] * r[0, j] + r[1, i] * r[1, j] + r[2, i] * r[2, j];
                if (!double.IsFinite(dot) || Math.Abs(dot - (i == j ? 1 : 0)) > OrthogonalityTolerance) return false;
            }

        double a = r[0, 0] + r[1, 1] + r[2, 2] + 1;
        if (a > 0.5)
        {
            a = 0.5 * Math.Sqrt(a);
            b = 0.25 * (r[2, 1] - r[1, 2]) / a;
            c = 0.25 * (r[0, 2] - r[2, 0]) / a;
            d = 0.25 * (r[1, 0] - r[0, 1]) / a;
        }
        else
        {
            double xd = 1 + r[0, 0] - (r[1, 1] + r[2, 2]);
            double yd = 1 + r[1, 1] - (r[0, 0] + r[2, 2]);
            double zd = 1 + r[2, 2] - (r[0, 0] + r[1, 1]);
            if (xd > 1)
            {
                b = 0.5 * Math.Sqrt(xd);
                c = 0.25 * (r[0, 1] + r[1, 0]) / b;
                d = 0.25 * (r[0, 2] + r[2, 0]) / b;
                a = 0.25 * (r[2, 1] - r[1, 2]) / b;
            }
            else if (yd > 1)
            {
                c = 0.5 * Math.Sqrt(yd);
                b = 0.25 * (r[0, 1] + r[1, 0]) / c;
                d = 0.25 * (r[1, 2] + r[2, 1]) / c;
                a = 0.25 * (r[0, 2] - r[2, 0]) / c;
            }
            else
            {
                d = 0.5 * Math.Sqrt(zd);
                b = 0.25 * (r[0, 2] + r[2, 0]) / d;
                c = 0.25 * (r[1, 2] + r[2, 1]) / d;
                a = 0.25 * (r[1, 0] - r[0, 1]) / d;
            }
            // The header stores only b, c, d and implies a ≥ 0, so flip the sign of the whole quaternion.
            if (a < 0) { b = -b; c = -c; d = -d; }
        }
        return true;
    }

    public static double ColumnLength(double[] affine, int column) =>
        Math.Sqrt(affine[column] * affine[column] + affine[4 + column] * affine[4 + column] + affine[8 + column] * affine[8 + column]);

    private static double PositiveOr1(float v) => v > 0 && float.IsFinite(v) ? v : 1.0;
}

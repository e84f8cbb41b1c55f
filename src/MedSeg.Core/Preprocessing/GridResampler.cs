using MedSeg.Core.Volumes;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Brings a label map back onto another grid (e.g. from the preprocessed RAS / resampled grid onto the original
/// image): nearest neighbour through both voxel→world affines; voxels outside the source are background (0).
/// </summary>
public static class GridResampler
{
    public static Volume NearestOnto(Volume labels, Volume reference)
    {
        var src = (byte[])labels.Data;
        var inverse = InvertAffine(labels.Affine, "prediction");
        var m = Multiply(inverse, reference.Affine); // reference voxel → source voxel
        var output = new byte[reference.VoxelCount];
        int sx = labels.SizeX, sy = labels.SizeY, sz = labels.SizeZ;
        Parallel.For(0, reference.SizeZ, k =>
        {
            for (int j = 0; j < reference.SizeY; j++)
            for (int i = 0; i < reference.SizeX; i++)
            {
                int x = (int)Math.Round(m[0] * i + m[1] * j + m[2] * k + m[3]);
                int y = (int)Math.Round(m[4] * i + m[5] * j + m[6] * k + m[7]);
                int z = (int)Math.Round(m[8] * i + m[9] * j + m[10] * k + m[11]);
                if (x < 0 || y < 0 || z < 0 || x >= sx || y >= sy || z >= sz) continue;
                output[i + (long)reference.SizeX * (j + (long)reference.SizeY * k)] = src[x + (long)sx * (y + (long)sy * z)];
            }
        });
        return new Volume(reference.SizeX, reference.SizeY, reference.SizeZ, output,
            (double[])reference.Spacing.Clone(), (double[])reference.Affine.Clone());
    }

    private static double[] Multiply(double[] a, double[] b)
    {
        var r = new double[16];
        for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
        for (int k = 0; k < 4; k++)
            r[i * 4 + j] += a[i * 4 + k] * b[k * 4 + j];
        return r;
    }

    /// <summary>Inverse of an affine [L t; 0 1]: [L⁻¹ −L⁻¹t; 0 1].</summary>
    private static double[] InvertAffine(double[] a, string what)
    {
        double a00 = a[0], a01 = a[1], a02 = a[2], a10 = a[4], a11 = a[5], a12 = a[6], a20 = a[8], a21 = a[9], a22 = a[10];
        double det = a00 * (a11 * a22 - a12 * a21) - a01 * (a10 * a22 - a12 * a20) + a02 * (a10 * a21 - a11 * a20);
        if (!(Math.Abs(det) > 1e-12)) throw new ArgumentException($"The {what} affine is singular (determinant {det}).");
        double[] l =
        [
            (a11 * a22 - a12 * a21) / det, (a02 * a21 - a01 * a22) / det, (a01 * a12 - a02 * a11) / det,
            (a12 * a20 - a10 * a22) / det, (a00 * a22 - a02 * a20) / det, (a02 * a10 - a00 * a12) / det,
            (a10 * a21 - a11 * a20) / det, (a01 * a20 - a00 * a21) / det, (a00 * a11 - a01 * a10) / det,
        ];
        double tx = a[3], ty = a[7], tz = a[11];
        return
        [
            l[0], l[1], l[2], -(l[0] * tx + l[1] * ty + l[2] * tz),
            l[3], l[4], l[5], -(l[3] * tx + l[4] * ty + l[5] * tz),
            l[6], l[7], l[8], -(l[6] * tx + l[7] * ty + l[8] * tz),
            0, 0, 0, 1,
        ];
    }
}

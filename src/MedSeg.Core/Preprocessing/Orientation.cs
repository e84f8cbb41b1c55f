using MedSeg.Core.Volumes;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Reorients a volume to RAS voxel order, as MONAI <c>Orientationd(axcodes="RAS")</c>: only axis permutation and
/// flips (no resampling), chosen from the affine's direction cosines so that increasing voxel index along axis 0
/// points most nearly to the patient's Right (world +x), axis 1 to Anterior (+y), axis 2 to Superior (+z). The affine is updated so every voxel keeps its world position.
/// </summary>
public static class Orientation
{
    public static Volume ToRas(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var (source, sign) = RasAxes(volume.Affine);
        int[] inShape = [volume.SizeX, volume.SizeY, volume.SizeZ];
        var p = new int[9];
        var q = new int[3];
        var outShape = new int[3];
        for (int i = 0; i < 3; i++)
        {
            int j = source[i];
            outShape[i] = inShape[j];
            p[j * 3 + i] = sign[i];
            if (sign[i] < 0) q[j] = inShape[j] - 1;
        }
        return VoxelRemap.Apply(volume, outShape, p, q);
    }

    /// <summary>
    /// For each world axis i (R, A, S): the voxel axis that points most nearly along it and the sign (+1 when it
    /// already points to +i). Assigned greedily by largest |direction cosine|, as nibabel's io_orientation does
    /// for affines without shear. Throws when the affine's linear part is singular.
    /// </summary>
    public static (int[] SourceAxis, int[] Sign) RasAxes(double[] affine)
    {
        var m = AffineMath.Linear(affine);
        var norms = AffineMath.ColumnNorms(m);
        if (norms.Any(n => !(n > 0)))
            throw new ArgumentException($"Affine has a zero column; cannot find orientation of [{string.Join(", ", affine)}].");
        var source = new[] { -1, -1, -1 };
        var sign = new int[3];
        var usedVoxelAxis = new bool[3];
        for (int round = 0; round < 3; round++)
        {
            int bi = -1, bj = -1;
            double best = -1;
            for (int i = 0; i < 3; i++)
            {
                if (source[i] >= 0) continue;
                for (int j = 0; j < 3; j++)
                {
                    if (usedVoxelAxis[j]) continue;
                    double c = Math.Abs(m[i * 3 + j]) / norms[j];
                    if (c > best) { best = c; bi = i; bj = j; }
                }
            }
            source[bi] = bj;
            usedVoxelAxis[bj] = true;
            sign[bi] = m[bi * 3 + bj] < 0 ? -1 : 1;
        }
        return (source, sign);
    }

    /// <summary>Axis codes like "LPS" or "RAS" of an affine (letter = direction each voxel axis points to).</summary>
    public static string AxisCodes(double[] affine)
    {
        var (source, sign) = RasAxes(affine);
        var codes = new char[3];
        string positive = "RAS", negative = "LPI";
        for (int i = 0; i < 3; i++) codes[source[i]] = sign[i] > 0 ? positive[i] : negative[i];
        return new string(codes);
    }
}

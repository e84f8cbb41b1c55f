using MedSeg.Core.Volumes;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Resamples a volume to a new voxel spacing as MONAI <c>Spacingd(pixdim, diagonal=False)</c> does.
/// </summary>
/// <remarks>
/// Convention (voxel centres, MONAI/nibabel): voxel index (i, j, k) is the centre of a voxel and sits at world
/// A·(i, j, k, 1).
/// <list type="bullet">
/// <item>New affine: the input's direction cosines (rotation R from M = R·U with U upper triangular from the
/// Cholesky factor of MᵀM, so shear is dropped) times diag(target spacing).</item>
/// <item>Shape: the eight input corner centres (0 or N−1 per axis) mapped into the new voxel grid; size per axis =
/// round(extent + 1) with round-half-even, e.g. 40 voxels of 0.8 mm to 1.5 mm → round(39·0.8/1.5 + 1) = 22.</item>
/// <item>Origin: the input corner centre that is smallest along every new axis (for an unrotated grid, input voxel
/// (0, 0, 0)); output voxel 0 lies exactly there, so the grids share their first voxel centre and every output voxel
/// keeps its world position: its value is the input sampled at A_in⁻¹·A_out·(i, j, k, 1).</item>
/// <item>Outside the input (the far edge when the extent is not a whole number of new voxels) the border value
/// is used (MONAI padding_mode="border").</item>
/// </list>
/// </remarks>
public static class Resampler
{
    public static Volume ToSpacing(Volume volume, double[] targetSpacing, Interpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(targetSpacing);
        if (targetSpacing.Length != 3 || targetSpacing.Any(s => !(s > 0) || !double.IsFinite(s)))
            throw new ArgumentException($"Target spacing must be three positive finite numbers (mm), got [{string.Join(", ", targetSpacing)}].");

        var (outShape, outAffine) = OutputGeometry(volume, targetSpacing);
        // Output voxel → input continuous voxel coordinates.
        var inLinearInverse = AffineMath.Inverse(AffineMath.Linear(volume.Affine));
        var step = AffineMath.Multiply(inLinearInverse, AffineMath.Linear(outAffine));
        var originWorld = AffineMath.Translation(outAffine);
        var inT = AffineMath.Translation(volume.Affine);
        var start = AffineMath.Apply(inLinearInverse, [originWorld[0] - inT[0], originWorld[1] - inT[1], originWorld[2] - inT[2]]);
        var sampler = new VoxelSampler(volume, start, step);

        Array data = interpolation switch
        {
            Interpolation.Trilinear => sampler.Trilinear(outShape),
            Interpolation.Nearest => sampler.Nearest(outShape),
            _ => throw new ArgumentOutOfRangeException(nameof(interpolation), interpolation, "Unknown interpolation."),
        };
        return new Volume(outShape[0], outShape[1], outShape[2], data, targetSpacing.ToArray(), outAffine);
    }

    /// <summary>Output shape and affine for a target spacing (see the class remarks), without resampling.</summary>
    public static (int[] Shape, double[] Affine) OutputGeometry(Volume volume, double[] targetSpacing)
    {
        var m = AffineMath.Linear(volume.Affine);
        // M = R·U: U = Lᵀ with L·Lᵀ = MᵀM, so R = M·U⁻¹ is the rotation/flip part (nibabel/MONAI zoom_affine).
        var u = AffineMath.Transpose(AffineMath.Cholesky(AffineMath.Multiply(AffineMath.Transpose(m), m)));
        var rotation = AffineMath.Multiply(m, AffineMath.Inverse(u));
        var newLinear = AffineMath.Multiply(rotation, [targetSpacing[0], 0, 0, 0, targetSpacing[1], 0, 0, 0, targetSpacing[2]]);
        var toNewVoxels = AffineMath.Inverse(newLinear);

        int[] n = [volume.SizeX, volume.SizeY, volume.SizeZ];
        var worldCorners = new double[8][];
        var gridCorners = new double[8][];
        double[] min = [double.MaxValue, double.MaxValue, double.MaxValue], max = [double.MinValue, double.MinValue, double.MinValue];
        for (int c = 0; c < 8; c++)
        {
            // numpy meshgrid 'ij' order: the last axis varies fastest.
            double i = (c & 4) != 0 ? n[0] - 1 : 0, j = (c & 2) != 0 ? n[1] - 1 : 0, k = (c & 1) != 0 ? n[2] - 1 : 0;
            worldCorners[c] = AffineMath.VoxelToWorld(volume.Affine, i, j, k);
            gridCorners[c] = AffineMath.Apply(toNewVoxels, worldCorners[c]);
            for (int d = 0; d < 3; d++)
            {
                min[d] = Math.Min(min[d], gridCorners[c][d]);
                max[d] = Math.Max(max[d], gridCorners[c][d]);
            }
        }
        var shape = new int[3];
        for (int d = 0; d < 3; d++) shape[d] = Math.Max(1, (int)Math.Round(max[d] - min[d] + 1, MidpointRounding.ToEven));

        // The first corner that is the minimum along every new axis becomes the output origin.
        int origin = 0;
        for (int c = 0; c < 8; c++)
        {
            bool isMin = true;
            for (int d = 0; d < 3; d++)
                if (gridCorners[c][d] - min[d] > 1e-6 * (1 + Math.Abs(min[d]))) isMin = false;
            if (isMin) { origin = c; break; }
        }
        return (shape, AffineMath.Compose(newLinear, worldCorners[origin]));
    }
}

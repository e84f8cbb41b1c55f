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
/// <item>Origin (MONAI's <c>compute_shape_offset</c>): the input corner centre that is smallest along every new axis, to
/// 1e-8 new voxels (for an unrotated grid, input voxel (0, 0, 0)); output voxel 0 lies exactly there, so the grids share
/// their first voxel centre. When no corner passes that check (an oblique grid whose rotation survives reorientation,
/// even by 1e-7), the output grid is centred on the input: A_in·(n / 2) = A_out·(m / 2). Either way output voxel
/// (i, j, k) takes the input sampled at A_in⁻¹·A_out·(i, j, k, 1).</item>
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

        // MONAI's compute_shape_offset: the first corner that is the minimum along every new axis becomes the output
        // origin — checked with np.allclose(min_corner, 0, rtol=AFFINE_TOL), i.e. an absolute 1e-8 in new voxels. When no
        // corner passes (an oblique grid, even by 1e-7) the output grid is centred on the input instead.
        for (int c = 0; c < 8; c++)
        {
            bool isMin = true;
            for (int d = 0; d < 3; d++)
                if (Math.Abs(min[d] - gridCorners[c][d]) > CornerTolerance) isMin = false;
            if (isMin) return (shape, AffineMath.Compose(newLinear, worldCorners[c]));
        }
        return (shape, AffineMath.Compose(newLinear, CentredOrigin(volume.Affine, n, newLinear, shape)));
    }

    /// <summary>numpy.allclose's default atol: the largest distance (in new voxels) at which a corner still counts as the minimum.</summary>
    public const double CornerTolerance = 1e-8;

    /// <summary>
    /// MONAI's fallback origin: the output's centre (shape / 2 in voxels) on the input's centre (its shape / 2):
    /// A_in·(n / 2) − L_out·(m / 2), both in half-voxel units as MONAI writes it.
    /// </summary>
    private static double[] CentredOrigin(double[] inAffine, int[] inShape, double[] outLinear, int[] outShape)
    {
        var inCentre = AffineMath.VoxelToWorld(inAffine, inShape[0] / 2.0, inShape[1] / 2.0, inShape[2] / 2.0);
        var outHalf = AffineMath.Apply(outLinear, [outShape[0] / 2.0, outShape[1] / 2.0, outShape[2] / 2.0]);
        return [inCentre[0] - outHalf[0], inCentre[1] - outHalf[1], inCentre[2] - outHalf[2]];
    }
}

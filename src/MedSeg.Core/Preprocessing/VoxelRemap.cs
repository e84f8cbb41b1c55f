using MedSeg.Core.Volumes;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Re-indexes a volume without interpolation: output voxel o reads input voxel p = P·o + q, with P an integer
/// 3×3 matrix (a signed permutation, or identity for crops) and q an integer offset. Because the map is affine
/// in the indices, flips, axis permutations, 90° rotations and crops are all one strided copy, for any voxel type.
/// The affine becomes A·[P q; 0 1], so every voxel keeps its world position; spacing follows the permutation.
/// </summary>
internal static class VoxelRemap
{
    /// <param name="p">Row-major 3×3 integer matrix: input index i = Σ_j p[i,j]·o_j + q_i.</param>
    public static Volume Apply(Volume volume, int[] outShape, int[] p, int[] q)
    {
        int nx = outShape[0], ny = outShape[1], nz = outShape[2];
        long X = volume.SizeX, XY = (long)volume.SizeX * volume.SizeY;
        long Flat(long a, long b, long c) => a + X * b + XY * c;
        long offset = Flat(q[0], q[1], q[2]);
        long stepX = Flat(p[0], p[3], p[6]), stepY = Flat(p[1], p[4], p[7]), stepZ = Flat(p[2], p[5], p[8]);
        CheckInside(volume, outShape, p, q);

        Array data = volume.Type switch
        {
            VoxelType.UInt8 => Gather((byte[])volume.Data, nx, ny, nz, offset, stepX, stepY, stepZ),
            VoxelType.Int8 => Gather((sbyte[])volume.Data, nx, ny, nz, offset, stepX, stepY, stepZ),
            VoxelType.Int16 => Gather((short[])volume.Data, nx, ny, nz, offset, stepX, stepY, stepZ),
            VoxelType.UInt16 => Gather((ushort[])volume.Data, nx, ny, nz, offset, stepX, stepY, stepZ),
            VoxelType.Int32 => Gather((int[])volume.Data, nx, ny, nz, offset, stepX, stepY, stepZ),
            VoxelType.Int64 => Gather((long[])volume.Data, nx, ny, nz, offset, stepX, stepY, stepZ),
            VoxelType.Float32 => Gather((float[])volume.Data, nx, ny, nz, offset, stepX, stepY, stepZ),
            VoxelType.Float64 => Gather((double[])volume.Data, nx, ny, nz, offset, stepX, stepY, stepZ),
            _ => throw new NotSupportedException($"Cannot remap voxel type {volume.Type}."),
        };

        var linear = AffineMath.Linear(volume.Affine);
        var pd = p.Select(v => (double)v).ToArray();
        var newLinear = AffineMath.Multiply(linear, pd);
        var shift = AffineMath.Apply(linear, [q[0], q[1], q[2]]);
        var t = AffineMath.Translation(volume.Affine);
        var affine = AffineMath.Compose(newLinear, [t[0] + shift[0], t[1] + shift[1], t[2] + shift[2]]);
        var spacing = new double[3];
        for (int j = 0; j < 3; j++)
            for (int i = 0; i < 3; i++)
                spacing[j] += Math.Abs(p[i * 3 + j]) * volume.Spacing[i];
        return new Volume(nx, ny, nz, data, spacing, affine);
    }

    private static void CheckInside(Volume volume, int[] outShape, int[] p, int[] q)
    {
        int[] inShape = [volume.SizeX, volume.SizeY, volume.SizeZ];
        // The map is affine, so checking the eight corners of the output box covers every voxel.
        for (int corner = 0; corner < 8; corner++)
        {
            int[] o = [(corner & 1) != 0 ? outShape[0] - 1 : 0, (corner & 2) != 0 ? outShape[1] - 1 : 0, (corner & 4) != 0 ? outShape[2] - 1 : 0];
            for (int i = 0; i < 3; i++)
            {
                long v = q[i] + (long)p[i * 3] * o[0] + (long)p[i * 3 + 1] * o[1] + (long)p[i * 3 + 2] * o[2];
                if (v < 0 || v >= inShape[i])
                    throw new ArgumentOutOfRangeException(nameof(outShape),
                        $"Remap reads index {v} on axis {i} outside 0..{inShape[i] - 1} (output {string.Join("×", outShape)}).");
            }
        }
    }

    private static T[] Gather<T>(T[] source, int nx, int ny, int nz, long offset, long stepX, long stepY, long stepZ)
    {
        var result = new T[(long)nx * ny * nz];
        long o = 0;
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
            {
                long s = offset + stepY * y + stepZ * z;
                if (stepX == 1)
                {
                    Array.Copy(source, s, result, o, nx);
                    o += nx;
                    continue;
                }
                for (int x = 0; x < nx; x++, s += stepX) result[o++] = source[s];
            }
        return result;
    }
}

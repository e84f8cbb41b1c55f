using MedSeg.Core.Volumes;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Reads a volume at continuous voxel coordinates start + step·(i, j, k) for every output voxel, clamping to the
/// border (coordinates beyond the first/last voxel centre take the edge value).
/// </summary>
internal sealed class VoxelSampler(Volume volume, double[] start, double[] step)
{
    private readonly int _nx = volume.SizeX, _ny = volume.SizeY, _nz = volume.SizeZ;

    public float[] Trilinear(int[] shape)
    {
        var result = new float[(long)shape[0] * shape[1] * shape[2]];
        var values = AsDoubles(volume);
        long o = 0;
        for (int k = 0; k < shape[2]; k++)
            for (int j = 0; j < shape[1]; j++)
                for (int i = 0; i < shape[0]; i++)
                {
                    Coordinates(i, j, k, out double x, out double y, out double z);
                    result[o++] = (float)Interpolate(values, x, y, z);
                }
        return result;
    }

    public Array Nearest(int[] shape)
    {
        long count = (long)shape[0] * shape[1] * shape[2];
        var source = new long[count];
        long o = 0;
        for (int k = 0; k < shape[2]; k++)
            for (int j = 0; j < shape[1]; j++)
                for (int i = 0; i < shape[0]; i++)
                {
                    Coordinates(i, j, k, out double x, out double y, out double z);
                    int xi = Clamp((int)Math.Round(x, MidpointRounding.ToEven), _nx);
                    int yi = Clamp((int)Math.Round(y, MidpointRounding.ToEven), _ny);
                    int zi = Clamp((int)Math.Round(z, MidpointRounding.ToEven), _nz);
                    source[o++] = xi + (long)_nx * (yi + (long)_ny * zi);
                }
        return volume.Type switch
        {
            VoxelType.UInt8 => Pick((byte[])volume.Data, source),
            VoxelType.Int8 => Pick((sbyte[])volume.Data, source),
            VoxelType.Int16 => Pick((short[])volume.Data, source),
            VoxelType.UInt16 => Pick((ushort[])volume.Data, source),
            VoxelType.Int32 => Pick((int[])volume.Data, source),
            VoxelType.Int64 => Pick((long[])volume.Data, source),
            VoxelType.Float32 => Pick((float[])volume.Data, source),
            VoxelType.Float64 => Pick((double[])volume.Data, source),
            _ => throw new NotSupportedException($"Cannot resample voxel type {volume.Type}."),
        };
    }

    private void Coordinates(int i, int j, int k, out double x, out double y, out double z)
    {
        x = start[0] + step[0] * i + step[1] * j + step[2] * k;
        y = start[1] + step[3] * i + step[4] * j + step[5] * k;
        z = start[2] + step[6] * i + step[7] * j + step[8] * k;
    }

    private double Interpolate(double[] v, double x, double y, double z)
    {
        x = Math.Clamp(x, 0, _nx - 1); y = Math.Clamp(y, 0, _ny - 1); z = Math.Clamp(z, 0, _nz - 1);
        int x0 = Math.Min((int)x, Math.Max(_nx - 2, 0)), y0 = Math.Min((int)y, Math.Max(_ny - 2, 0)), z0 = Math.Min((int)z, Math.Max(_nz - 2, 0));
        double fx = x - x0, fy = y - y0, fz = z - z0;
        int x1 = Math.Min(x0 + 1, _nx - 1), y1 = Math.Min(y0 + 1, _ny - 1), z1 = Math.Min(z0 + 1, _nz - 1);
        long sxy = (long)_nx * _ny;
        double At(int a, int b, int c) => v[a + (long)_nx * b + sxy * c];
        double c00 = At(x0, y0, z0) * (1 - fx) + At(x1, y0, z0) * fx;
        double c10 = At(x0, y1, z0) * (1 - fx) + At(x1, y1, z0) * fx;
        double c01 = At(x0, y0, z1) * (1 - fx) + At(x1, y0, z1) * fx;
        double c11 = At(x0, y1, z1) * (1 - fx) + At(x1, y1, z1) * fx;
        double c0 = c00 * (1 - fy) + c10 * fy;
        double c1 = c01 * (1 - fy) + c11 * fy;
        return c0 * (1 - fz) + c1 * fz;
    }

    private static int Clamp(int v, int n) => v < 0 ? 0 : v >= n ? n - 1 : v;

    private static double[] AsDoubles(Volume volume)
    {
        if (volume.Type == VoxelType.Float64) return (double[])volume.Data;
        var values = new double[volume.VoxelCount];
        for (long i = 0; i < values.Length; i++) values[i] = volume.GetDouble(i);
        return values;
    }

    private static T[] Pick<T>(T[] data, long[] source)
    {
        var result = new T[source.Length];
        for (long i = 0; i < source.Length; i++) result[i] = data[source[i]];
        return result;
    }
}

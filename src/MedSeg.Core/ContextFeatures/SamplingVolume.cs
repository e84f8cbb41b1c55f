using MedSeg.Core.Volumes;

namespace MedSeg.Core.ContextFeatures;

/// <summary>
/// A volume prepared for patch sampling: float32 voxels, X fastest, z-normalised per volume by default (the notebook:
/// mean and unbiased standard deviation over all voxels), read with grid_sample's conventions.
/// </summary>
public sealed class SamplingVolume
{
    public SamplingVolume(float[] data, int sizeX, int sizeY, int sizeZ)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (sizeX < 1 || sizeY < 1 || sizeZ < 1)
            throw new ArgumentException($"Volume sizes must be ≥ 1, got {sizeX}×{sizeY}×{sizeZ}.");
        if (data.LongLength != (long)sizeX * sizeY * sizeZ)
            throw new ArgumentException($"Volume of {sizeX}×{sizeY}×{sizeZ} needs {(long)sizeX * sizeY * sizeZ} voxels, got {data.LongLength}.");
        Data = data;
        SizeX = sizeX;
        SizeY = sizeY;
        SizeZ = sizeZ;
    }

    public float[] Data { get; }
    public int SizeX { get; }
    public int SizeY { get; }
    public int SizeZ { get; }

    /// <summary>
    /// (v − mean) / std. A constant volume (std 0) becomes zeros rather than NaN; NaN or infinite voxels are refused
    /// (naming <paramref name="what"/>), since they would spread into every patch that touches them.
    /// </summary>
    public static SamplingVolume ZNormalised(Volume volume, string what = "volume")
    {
        ArgumentNullException.ThrowIfNull(volume);
        long n = volume.VoxelCount;
        var data = new float[n];
        double sum = 0;
        for (long i = 0; i < n; i++)
        {
            double v = volume.GetDouble(i);
            if (!double.IsFinite(v))
                throw new ArgumentException($"{what}: voxel {i} is {v}; z-normalisation needs finite values.");
            data[i] = (float)v;
            sum += v;
        }
        double mean = sum / n;
        double squares = 0;
        for (long i = 0; i < n; i++)
        {
            double d = data[i] - mean;
            squares += d * d;
        }
        double std = n > 1 ? Math.Sqrt(squares / (n - 1)) : 0.0;
        double scale = std > 0 ? 1.0 / std : 1.0;
        for (long i = 0; i < n; i++) data[i] = (float)((data[i] - mean) * scale);
        return new SamplingVolume(data, volume.SizeX, volume.SizeY, volume.SizeZ);
    }

    /// <summary>
    /// Trilinear value at normalised (x, y, z) ∈ [−1, 1]³ as torch's grid_sample (mode bilinear, padding zeros):
    /// corners outside the volume count as 0. With <paramref name="alignCorners"/> −1 and 1 are the centres of the end
    /// voxels, otherwise their outer edges.
    /// </summary>
    public float Sample(double x, double y, double z, bool alignCorners = true)
    {
        double ix = Unnormalise(x, SizeX, alignCorners);
        double iy = Unnormalise(y, SizeY, alignCorners);
        double iz = Unnormalise(z, SizeZ, alignCorners);
        if (!double.IsFinite(ix) || !double.IsFinite(iy) || !double.IsFinite(iz)) return 0f;
        int x0 = (int)Math.Floor(ix), y0 = (int)Math.Floor(iy), z0 = (int)Math.Floor(iz);
        double fx = ix - x0, fy = iy - y0, fz = iz - z0;
        double result = 0;
        for (int dz = 0; dz <= 1; dz++)
        {
            int zz = z0 + dz;
            if ((uint)zz >= (uint)SizeZ) continue;
            double wz = dz == 0 ? 1 - fz : fz;
            for (int dy = 0; dy <= 1; dy++)
            {
                int yy = y0 + dy;
                if ((uint)yy >= (uint)SizeY) continue;
                double wy = dy == 0 ? 1 - fy : fy;
                long row = (long)SizeX * (yy + (long)SizeY * zz);
                for (int dx = 0; dx <= 1; dx++)
                {
                    int xx = x0 + dx;
                    if ((uint)xx >= (uint)SizeX) continue;
                    double wx = dx == 0 ? 1 - fx : fx;
                    result += wz * wy * wx * Data[row + xx];
                }
            }
        }
        return (float)result;
    }

    /// <summary>Normalised coordinate → voxel index along an axis of <paramref name="size"/> voxels (grid_sample's rule).</summary>
    public static double Unnormalise(double coordinate, int size, bool alignCorners) =>
        alignCorners ? (coordinate + 1) / 2 * (size - 1) : ((coordinate + 1) * size - 1) / 2;

    /// <summary>Voxel index → normalised coordinate (inverse of <see cref="Unnormalise"/>).</summary>
    public static double Normalise(double index, int size, bool alignCorners) =>
        alignCorners ? (size > 1 ? 2 * index / (size - 1) - 1 : 0) : (2 * index + 1) / size - 1;
}

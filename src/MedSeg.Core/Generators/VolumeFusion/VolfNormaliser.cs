using MedSeg.Core.Volumes;

namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>Applies the recorded intensity rule to a source volume before any crop or fusion.</summary>
public static class VolfNormaliser
{
    /// <summary>Normalised copy of <paramref name="volume"/>; a non-finite voxel is refused naming the case.</summary>
    public static VolfSourceVolume Normalise(string caseName, Volume volume, VolfOptions options)
    {
        long n = volume.VoxelCount;
        var v = new float[n];
        double sum = 0, sumSq = 0;
        long bad = 0;
        for (long i = 0; i < n; i++)
        {
            double x = volume.GetDouble(i);
            if (!double.IsFinite(x)) { bad++; continue; }
            sum += x; sumSq += x * x;
            v[i] = (float)x;
        }
        if (bad > 0)
            throw new VolfSourceException($"source {caseName}: {bad} of {n} voxels are NaN or infinite; fusion needs finite intensities");

        if (options.Normalisation == VolfNormalisation.HuWindow)
        {
            double lo = options.HuMin, scale = 1.0 / (options.HuMax - options.HuMin);
            for (long i = 0; i < n; i++) v[i] = (float)((Math.Clamp(v[i], lo, options.HuMax) - lo) * scale);
        }
        else
        {
            double mean = sum / n;
            double std = Math.Sqrt(Math.Max(0, sumSq / n - mean * mean));
            // A constant volume has no contrast to keep: all zeros rather than a division by zero.
            double inv = std > 1e-12 ? 1.0 / std : 0;
            for (long i = 0; i < n; i++) v[i] = (float)((v[i] - mean) * inv);
        }
        float min = float.PositiveInfinity;
        for (long i = 0; i < n; i++) if (v[i] < min) min = v[i];
        return new VolfSourceVolume(caseName, volume.SizeZ, volume.SizeY, volume.SizeX, v, min);
    }
}

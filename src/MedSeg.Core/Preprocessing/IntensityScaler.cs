using MedSeg.Core.Volumes;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Linear intensity window, as MONAI <c>ScaleIntensityRanged</c>: v → (v − aMin)/(aMax − aMin)·(bMax − bMin) + bMin,
/// then clipped to [bMin, bMax] when <c>clip</c>. Defaults are the standard abdominal CT window (−175..250 HU → 0..1).
/// Output is float32, same geometry. When aMax = aMin the range is undefined and, like MONAI, the result is v − aMin.
/// NaN stays NaN.
/// </summary>
public static class IntensityScaler
{
    public static Volume ScaleRange(Volume volume, double aMin = -175, double aMax = 250, double bMin = 0, double bMax = 1, bool clip = true)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (!double.IsFinite(aMin) || !double.IsFinite(aMax) || !double.IsFinite(bMin) || !double.IsFinite(bMax))
            throw new ArgumentException($"Intensity range must be finite, got a=[{aMin}, {aMax}] b=[{bMin}, {bMax}].");
        var result = new float[volume.VoxelCount];
        double range = aMax - aMin;
        double lo = Math.Min(bMin, bMax), hi = Math.Max(bMin, bMax);
        for (long i = 0; i < result.Length; i++)
        {
            double v = volume.GetDouble(i);
            double s = range == 0 ? v - aMin : (v - aMin) / range * (bMax - bMin) + bMin;
            if (clip && range != 0) s = Math.Clamp(s, lo, hi);
            result[i] = (float)s;
        }
        return new Volume(volume.SizeX, volume.SizeY, volume.SizeZ, result, volume.Spacing.ToArray(), volume.Affine.ToArray());
    }
}

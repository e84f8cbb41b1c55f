using MedSeg.Core.Volumes;

namespace MedSeg.Core.Nifti;

/// <summary>
/// Applies NIfTI scl_slope/scl_inter (value = slope·stored + inter) on read.
/// Result type: float32 for stored types of at most 16 bits and float32 itself (float32 holds every such
/// stored value exactly and halves memory against nibabel's float64); float64 for int32, int64 and float64,
/// whose values float32 would round.
/// </summary>
internal static class VoxelScaling
{
    public static VoxelType ScaledType(VoxelType stored) => stored switch
    {
        VoxelType.Int32 or VoxelType.Int64 or VoxelType.Float64 => VoxelType.Float64,
        _ => VoxelType.Float32,
    };

    public static Array Apply(Array stored, VoxelType storedType, double slope, double inter)
    {
        long n = stored.LongLength;
        if (ScaledType(storedType) == VoxelType.Float32)
        {
            var result = new float[n];
            float s = (float)slope, b = (float)inter;
            // Switch on the declared type: an sbyte[] also matches a byte[] pattern.
            switch (storedType)
            {
                case VoxelType.UInt8: { var a = (byte[])stored; for (long i = 0; i < n; i++) result[i] = a[i] * s + b; break; }
                case VoxelType.Int8: { var a = (sbyte[])stored; for (long i = 0; i < n; i++) result[i] = a[i] * s + b; break; }
                case VoxelType.Int16: { var a = (short[])stored; for (long i = 0; i < n; i++) result[i] = a[i] * s + b; break; }
                case VoxelType.UInt16: { var a = (ushort[])stored; for (long i = 0; i < n; i++) result[i] = a[i] * s + b; break; }
                case VoxelType.Float32: { var a = (float[])stored; for (long i = 0; i < n; i++) result[i] = a[i] * s + b; break; }
                default: throw new InvalidOperationException($"No float32 scaling for {storedType}.");
            }
            return result;
        }
        else
        {
            var result = new double[n];
            // Switch on the declared type: an sbyte[] also matches a byte[] pattern.
            switch (storedType)
            {
                case VoxelType.Int32: { var a = (int[])stored; for (long i = 0; i < n; i++) result[i] = a[i] * slope + inter; break; }
                case VoxelType.Int64: { var a = (long[])stored; for (long i = 0; i < n; i++) result[i] = a[i] * slope + inter; break; }
                case VoxelType.Float64: { var a = (double[])stored; for (long i = 0; i < n; i++) result[i] = a[i] * slope + inter; break; }
                default: throw new InvalidOperationException($"No float64 scaling for {storedType}.");
            }
            return result;
        }
    }
}

namespace MedSeg.Core.Volumes;

/// <summary>Element type of a volume's buffer; values match NIfTI-1 datatype codes.</summary>
public enum VoxelType : short
{
    UInt8 = 2,
    Int16 = 4,
    Int32 = 8,
    Float32 = 16,
    Float64 = 64,
    Int8 = 256,
    UInt16 = 512,
    Int64 = 1024,
}

public static class VoxelTypeExtensions
{
    public static int ByteSize(this VoxelType type) => type switch
    {
        VoxelType.UInt8 or VoxelType.Int8 => 1,
        VoxelType.Int16 or VoxelType.UInt16 => 2,
        VoxelType.Int32 or VoxelType.Float32 => 4,
        VoxelType.Float64 or VoxelType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unsupported voxel type."),
    };

    public static Type ClrType(this VoxelType type) => type switch
    {
        VoxelType.UInt8 => typeof(byte),
        VoxelType.Int8 => typeof(sbyte),
        VoxelType.Int16 => typeof(short),
        VoxelType.UInt16 => typeof(ushort),
        VoxelType.Int32 => typeof(int),
        VoxelType.Int64 => typeof(long),
        VoxelType.Float32 => typeof(float),
        VoxelType.Float64 => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unsupported voxel type."),
    };

    public static VoxelType FromClrType(Type t) =>
        t == typeof(byte) ? VoxelType.UInt8 :
        t == typeof(sbyte) ? VoxelType.Int8 :
        t == typeof(short) ? VoxelType.Int16 :
        t == typeof(ushort) ? VoxelType.UInt16 :
        t == typeof(int) ? VoxelType.Int32 :
        t == typeof(long) ? VoxelType.Int64 :
        t == typeof(float) ? VoxelType.Float32 :
        t == typeof(double) ? VoxelType.Float64 :
        throw new ArgumentException($"No voxel type for {t.Name}.", nameof(t));
}

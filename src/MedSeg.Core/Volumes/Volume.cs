namespace MedSeg.Core.Volumes;

/// <summary>
/// A 3D volume: shape (X fastest, then Y, then Z, as NIfTI stores it), voxel spacing in mm,
/// a 4×4 voxel-to-world affine (row-major) and one contiguous typed buffer.
/// Index of voxel (x, y, z) is x + X·(y + Y·z).
/// </summary>
public sealed class Volume
{
    public Volume(int sizeX, int sizeY, int sizeZ, Array data, double[]? spacing = null, double[]? affine = null)
    {
        if (sizeX <= 0 || sizeY <= 0 || sizeZ <= 0)
            throw new ArgumentException($"Volume shape must be positive, got {sizeX}×{sizeY}×{sizeZ}.");
        ArgumentNullException.ThrowIfNull(data);
        long expected = (long)sizeX * sizeY * sizeZ;
        if (data.LongLength != expected)
            throw new ArgumentException($"Buffer holds {data.LongLength} voxels but shape {sizeX}×{sizeY}×{sizeZ} needs {expected}.");
        Type = VoxelTypeExtensions.FromClrType(data.GetType().GetElementType()!);
        SizeX = sizeX; SizeY = sizeY; SizeZ = sizeZ;
        Data = data;
        Spacing = spacing ?? [1.0, 1.0, 1.0];
        if (Spacing.Length != 3 || Spacing.Any(s => !(s > 0) || double.IsInfinity(s)))
            throw new ArgumentException($"Spacing must be three positive finite numbers, got [{string.Join(", ", Spacing)}].");
        Affine = affine ?? DiagonalAffine(Spacing);
        if (Affine.Length != 16) throw new ArgumentException("Affine must have 16 elements (4×4, row-major).");
    }

    public int SizeX { get; }
    public int SizeY { get; }
    public int SizeZ { get; }
    public long VoxelCount => (long)SizeX * SizeY * SizeZ;
    public VoxelType Type { get; }

    /// <summary>The buffer: a T[] whose element type matches <see cref="Type"/>.</summary>
    public Array Data { get; }

    /// <summary>Voxel size in mm along X, Y, Z.</summary>
    public double[] Spacing { get; }

    /// <summary>Voxel (i, j, k, 1) to world (RAS mm) transform, row-major 4×4.</summary>
    public double[] Affine { get; }

    public T[] As<T>() where T : unmanaged =>
        Data as T[] ?? throw new InvalidOperationException($"Volume holds {Type}, not {typeof(T).Name}.");

    public long Index(int x, int y, int z) => x + (long)SizeX * (y + (long)SizeY * z);

    /// <summary>Value at a flat index as double, whatever the buffer type.</summary>
    /// <remarks>
    /// Dispatches on <see cref="Type"/>, not on array patterns: the CLR lets an sbyte[] pass as byte[]
    /// (and ushort[] as short[]), so `Data is byte[]` would misread signed bytes.
    /// </remarks>
    public double GetDouble(long index) => Type switch
    {
        VoxelType.UInt8 => ((byte[])Data)[index],
        VoxelType.Int8 => ((sbyte[])Data)[index],
        VoxelType.Int16 => ((short[])Data)[index],
        VoxelType.UInt16 => ((ushort[])Data)[index],
        VoxelType.Int32 => ((int[])Data)[index],
        VoxelType.Int64 => ((long[])Data)[index],
        VoxelType.Float32 => ((float[])Data)[index],
        VoxelType.Float64 => ((double[])Data)[index],
        _ => throw new InvalidOperationException($"Unsupported buffer {Data.GetType().Name}."),
    };

    public static double[] DiagonalAffine(double[] spacing) =>
    [
        spacing[0], 0, 0, 0,
        0, spacing[1], 0, 0,
        0, 0, spacing[2], 0,
        0, 0, 0, 1,
    ];

    public static Volume Create<T>(int sizeX, int sizeY, int sizeZ, double[]? spacing = null, double[]? affine = null) where T : unmanaged
        => new(sizeX, sizeY, sizeZ, new T[(long)sizeX * sizeY * sizeZ], spacing, affine);
}

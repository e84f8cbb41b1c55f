using System.Buffers;

namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// A rasterised shape cropped to its tight bounding box: per voxel 0 = outside, 1 = inside,
/// 2 = inside and on the cross-section outline. X fastest, then Y, then Z (slices).
/// </summary>
internal sealed class ShapeRaster : IDisposable
{
    public const byte Inside = 1;
    public const byte OutlineInside = 2;

    private ArrayPool<byte>? _pool;

    public ShapeRaster(ShapeGeometry geometry, int sizeX, int sizeY, int sizeZ, byte[] box, long voxelCount, ArrayPool<byte>? pool)
    {
        Geometry = geometry;
        SizeX = sizeX; SizeY = sizeY; SizeZ = sizeZ;
        Box = box;
        VoxelCount = voxelCount;
        _pool = pool;
    }

    public ShapeGeometry Geometry { get; }
    public int SizeX { get; }
    public int SizeY { get; }
    public int SizeZ { get; }

    /// <summary>Box voxels (may be longer than SizeX·SizeY·SizeZ when pooled).</summary>
    public byte[] Box { get; }

    public long VoxelCount { get; }
    public bool IsEmpty => VoxelCount == 0;

    public void Dispose()
    {
        if (_pool is not null) { _pool.Return(Box); _pool = null; }
    }
}

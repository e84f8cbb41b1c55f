namespace MedSeg.Core.Metrics;

/// <summary>An axis-aligned box of voxels, inclusive start and exclusive end along X, Y, Z.</summary>
public readonly record struct VoxelBox(int StartX, int StartY, int StartZ, int EndX, int EndY, int EndZ)
{
    public int SizeX => EndX - StartX;
    public int SizeY => EndY - StartY;
    public int SizeZ => EndZ - StartZ;
    public long VoxelCount => (long)SizeX * SizeY * SizeZ;

    /// <summary>The box grown by <paramref name="margin"/> voxels on every side, clipped to a grid of the given shape.</summary>
    public VoxelBox Grow(int margin, int sizeX, int sizeY, int sizeZ) => new(
        Math.Max(0, StartX - margin), Math.Max(0, StartY - margin), Math.Max(0, StartZ - margin),
        Math.Min(sizeX, EndX + margin), Math.Min(sizeY, EndY + margin), Math.Min(sizeZ, EndZ + margin));
}

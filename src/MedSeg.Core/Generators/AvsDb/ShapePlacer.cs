using System.Numerics;
using System.Runtime.Intrinsics;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// Random placement against an occupancy grid: a position is accepted when
/// (voxels already occupied under the shape) / (shape voxels) &lt; the overlap limit.
/// </summary>
internal static class ShapePlacer
{
    public const byte Occupied = 0xFF;

    public readonly record struct Outcome(bool Placed, int X, int Y, int Z, long SharedVoxels, int Attempts, string? DropReason);

    public static Outcome Place(ShapeRaster shape, byte[] occupancy, int n, double overlapLimit, int maxAttempts, DeterministicRandom rng)
    {
        if (shape.IsEmpty) return new(false, 0, 0, 0, 0, 0, "empty shape (no voxels at this size)");
        if (shape.SizeX > n || shape.SizeY > n || shape.SizeZ > n)
            return new(false, 0, 0, 0, 0, 0,
                $"bounding box {shape.SizeX}×{shape.SizeY}×{shape.SizeZ} larger than the {n}³ volume");
        // Anything at or above this many shared voxels fails the ratio test; stop counting there.
        long giveUpAt = (long)Math.Floor(overlapLimit * shape.VoxelCount) + 1;
        for (int attempt = 1; attempt <= maxAttempts; attempt++)
        {
            int x = rng.NextInt(0, n - shape.SizeX);
            int y = rng.NextInt(0, n - shape.SizeY);
            int z = rng.NextInt(0, n - shape.SizeZ);
            long shared = CountShared(shape, occupancy, n, x, y, z, giveUpAt);
            if (shared < giveUpAt && (double)shared / shape.VoxelCount < overlapLimit)
                return new(true, x, y, z, shared, attempt, null);
        }
        return new(false, 0, 0, 0, 0, maxAttempts,
            FormattableString.Invariant($"no position with overlap < {overlapLimit} in {maxAttempts} attempts"));
    }

    /// <summary>Voxels where both the shape box and the occupancy are non-zero, stopping early at <paramref name="stopAt"/>.</summary>
    public static long CountShared(ShapeRaster shape, byte[] occupancy, int n, int x, int y, int z, long stopAt)
    {
        int w = shape.SizeX, h = shape.SizeY, d = shape.SizeZ;
        byte[] box = shape.Box;
        long shared = 0;
        for (int zz = 0; zz < d; zz++)
        {
            for (int yy = 0; yy < h; yy++)
            {
                int o = x + n * (y + yy + n * (z + zz));
                int b = w * (yy + h * zz);
                int i = 0;
                if (Vector128.IsHardwareAccelerated)
                {
                    for (; i + 16 <= w; i += 16)
                    {
                        var both = Vector128.LoadUnsafe(ref box[b + i]) & Vector128.LoadUnsafe(ref occupancy[o + i]);
                        uint zeroMask = Vector128.ExtractMostSignificantBits(Vector128.Equals(both, Vector128<byte>.Zero));
                        shared += 16 - BitOperations.PopCount(zeroMask);
                    }
                }
                for (; i < w; i++)
                    if ((box[b + i] & occupancy[o + i]) != 0) shared++;
            }
            if (shared >= stopAt) return shared;
        }
        return shared;
    }
}

using MedSeg.Core.Generators;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.ContextFeatures;

/// <summary>
/// Draws the 3D Doersch task's cube pairs (ssl-methods-reference §3): a volume (uniform over all), a first centre
/// ~ U(−0.5, 0.5)³ and its neighbour exactly ±0.45 along one axis, labelled axis·2 + sign (<see cref="DoerschNeighbour"/>).
/// Each batch is a pure function of (seed, step).
/// </summary>
public sealed class DoerschPairSampler(Func<int, SamplingVolume> volume, int volumeCount, long seed, int batchSize,
    double centreRange = 0.5, bool alignCorners = true)
{
    public DoerschPairBatch Build(long step)
    {
        if (volumeCount < 1) throw new InvalidOperationException("At least one volume is needed.");
        if (batchSize is < 1 or > 1024) throw new InvalidOperationException($"Batch size must be 1..1024, got {batchSize}.");
        int n = PatchOffsets.CubeSamples;
        var cubes1 = new float[batchSize * n];
        var cubes2 = new float[batchSize * n];
        var labels = new long[batchSize];
        var volumes = new int[batchSize];
        var rng = DeterministicRandom.ForStream(unchecked((ulong)seed * 31 + 7), step);
        var grid = PatchOffsets.Cube();
        for (int i = 0; i < batchSize; i++)
        {
            int v = rng.NextInt(0, volumeCount - 1);
            double cx = rng.NextDouble(-centreRange, centreRange), cy = rng.NextDouble(-centreRange, centreRange),
                cz = rng.NextDouble(-centreRange, centreRange);
            int label = DoerschNeighbour.ClassOf(rng.NextInt(0, 2), rng.NextInt(0, 1));
            var (dx, dy, dz) = DoerschNeighbour.Offset(label);
            var source = volume(v);
            PatchOffsets.Sample(source, cx, cy, cz, grid, cubes1.AsSpan(i * n, n), alignCorners);
            PatchOffsets.Sample(source, cx + dx, cy + dy, cz + dz, grid, cubes2.AsSpan(i * n, n), alignCorners);
            labels[i] = label;
            volumes[i] = v;
        }
        return new DoerschPairBatch(step, batchSize, cubes1, cubes2, labels, volumes);
    }
}

namespace MedSeg.Training.Data;

/// <summary>
/// Which sample feeds batch item b of step s: a fresh permutation of the samples each epoch,
/// derived from (seed, epoch) only, so any step's batch can be rebuilt without replaying earlier ones.
/// </summary>
public sealed class SampleOrder
{
    private readonly long _seed;
    private readonly int _count;
    private readonly int _batch;
    private readonly object _gate = new();
    private long _cachedEpoch = -1;
    private int[] _cachedPerm = [];

    public SampleOrder(long seed, int sampleCount, int batchSize)
    {
        if (sampleCount <= 0) throw new ArgumentException($"The dataset holds no samples (count {sampleCount}).");
        _seed = seed; _count = sampleCount; _batch = batchSize;
    }

    public int SampleIndex(long step, int item)
    {
        long position = step * _batch + item;
        long epoch = position / _count;
        return Permutation(epoch)[(int)(position % _count)];
    }

    public double Epoch(long step) => (double)step * _batch / _count;

    private int[] Permutation(long epoch)
    {
        lock (_gate)
        {
            if (epoch == _cachedEpoch) return _cachedPerm;
            var perm = Enumerable.Range(0, _count).ToArray();
            var rng = SplitMix64.For(_seed, 0x5A3D1E, epoch);
            for (int i = _count - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (perm[i], perm[j]) = (perm[j], perm[i]);
            }
            _cachedEpoch = epoch;
            _cachedPerm = perm;
            return perm;
        }
    }
}

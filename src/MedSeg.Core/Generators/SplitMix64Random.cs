namespace MedSeg.Core.Generators;

/// <summary>
/// Small deterministic PRNG (SplitMix64, Steele et al. 2014) whose output is fixed by its seed on every
/// platform and .NET version, unlike <see cref="System.Random"/>. Each generated volume (or augmentation
/// stream) gets its own stream from (seed, index), so results do not depend on thread count or order.
/// </summary>
/// <remarks>Same method names as the AVS-DB generator's PRNG, so the two can be merged into one type.</remarks>
public sealed class SplitMix64Random
{
    private ulong _state;
    private double? _spareGaussian;

    public SplitMix64Random(ulong seed) => _state = seed;

    /// <summary>An independent stream for item <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static SplitMix64Random ForStream(ulong seed, long index)
    {
        // Mix the index first so neighbouring indices start far apart in the sequence.
        ulong s = (ulong)index ^ 0x6A09E667F3BCC909UL;
        return new SplitMix64Random(seed ^ Mix(ref s));
    }

    public ulong NextUInt64() => Mix(ref _state);

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform double in [min, max).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [minInclusive, maxInclusive] (unbiased: rejection on the top remainder).</summary>
    public int NextInt(int minInclusive, int maxInclusive)
    {
        if (maxInclusive < minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxInclusive), $"Empty range [{minInclusive}, {maxInclusive}].");
        ulong span = (ulong)((long)maxInclusive - minInclusive + 1);
        ulong limit = ulong.MaxValue - ulong.MaxValue % span;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (int)(minInclusive + (long)(x % span));
    }

    /// <summary>Uniform index in [0, count) for long counts (voxel lists).</summary>
    public long NextLong(long count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), $"Count must be positive, got {count}.");
        ulong span = (ulong)count;
        ulong limit = ulong.MaxValue - ulong.MaxValue % span;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (long)(x % span);
    }

    /// <summary>Standard normal sample (Marsaglia polar method, caching the second value).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is double spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * f;
        return u * f;
    }

    private static ulong Mix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

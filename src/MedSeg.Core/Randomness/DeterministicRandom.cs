namespace MedSeg.Core.Randomness;

/// <summary>
/// Small, fast, platform-independent PRNG (xoshiro256**, seeded through SplitMix64).
/// Used instead of <see cref="System.Random"/> so generated datasets stay byte-identical across
/// .NET versions and thread counts: every volume gets its own stream derived from (seed, index).
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareGaussian;

    public DeterministicRandom(ulong seed)
    {
        ulong sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>An independent stream for item <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static DeterministicRandom ForStream(ulong seed, long index)
    {
        // Mix the index through SplitMix64 before combining, so neighbouring indices give unrelated streams.
        ulong sm = (ulong)index ^ 0xD1B54A32D192ED03UL;
        ulong mixedIndex = SplitMix64(ref sm);
        return new DeterministicRandom(seed ^ mixedIndex);
    }

    public static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform double in [min, max] (max reached only when min == max).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [minInclusive, maxInclusive], like Python's random.randint.</summary>
    public int NextInt(int minInclusive, int maxInclusive)
    {
        if (maxInclusive < minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxInclusive), $"Empty range [{minInclusive}, {maxInclusive}].");
        ulong span = (ulong)((long)maxInclusive - minInclusive + 1);
        // Lemire's multiply-shift with rejection: unbiased and branch-light.
        ulong x = NextUInt64();
        UInt128 m = (UInt128)x * span;
        ulong low = (ulong)m;
        if (low < span)
        {
            ulong threshold = (0UL - span) % span;
            while (low < threshold)
            {
                x = NextUInt64();
                m = (UInt128)x * span;
                low = (ulong)m;
            }
        }
        return (int)(minInclusive + (long)(ulong)(m >> 64));
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

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}

namespace MedSeg.Training.Data;

/// <summary>
/// Small deterministic RNG (SplitMix64) whose stream depends only on its seed, so crops and sample
/// order are reproducible from (seed, step, item) on any thread, .NET version or machine.
/// </summary>
public struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public static SplitMix64 For(long seed, params long[] keys)
    {
        ulong s = unchecked((ulong)seed);
        foreach (var k in keys) s = Mix(s ^ Mix(unchecked((ulong)k) + 0x9E3779B97F4A7C15UL));
        return new SplitMix64(s);
    }

    public ulong NextULong()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        return (int)(NextULong() % (ulong)maxExclusive);
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}

using MedSeg.Training.Data;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// LWI's "shuffle + mask" pretext transform (Kunhimon et al.), torch-free so batches are built on loader threads:
/// the depth axis (Z, the slice axis) of a [C, Z, Y, X] volume (X fastest) is cut into <see cref="Chunks"/> equal chunks
/// that are permuted; then a fraction <see cref="MaskRatio"/> of the non-overlapping <see cref="MaskPatch"/>³ cubes of
/// the shuffled volume is zeroed. The network sees the shuffled + masked volume, reconstructs the shuffled unmasked one
/// and predicts, for every slot, the original index of the chunk now there.
/// </summary>
public sealed class LwiShuffleMask
{
    public LwiShuffleMask(int chunks, double maskRatio, int maskPatch)
    {
        if (chunks < 2) throw new ArgumentOutOfRangeException(nameof(chunks), $"chunks must be ≥ 2, got {chunks}.");
        if (!(maskRatio >= 0 && maskRatio < 1)) throw new ArgumentOutOfRangeException(nameof(maskRatio), $"mask ratio must be in [0, 1), got {maskRatio}.");
        if (maskPatch < 1) throw new ArgumentOutOfRangeException(nameof(maskPatch), $"mask patch must be ≥ 1, got {maskPatch}.");
        Chunks = chunks;
        MaskRatio = maskRatio;
        MaskPatch = maskPatch;
    }

    public int Chunks { get; }
    public double MaskRatio { get; }
    public int MaskPatch { get; }

    /// <summary>Why a [Z, Y, X] crop cannot be shuffled and masked (null: it can).</summary>
    public string? Problem(int z, int y, int x)
    {
        if (z % Chunks != 0) return $"depth {z} is not divisible by {Chunks} chunks";
        if (z % MaskPatch != 0 || y % MaskPatch != 0 || x % MaskPatch != 0)
            return $"crop {z}×{y}×{x} is not a multiple of the mask patch {MaskPatch}";
        return null;
    }

    /// <summary>Cubes zeroed out of <paramref name="cubes"/>: round(ratio × cubes), so 40 % of 10 cubes is exactly 4.</summary>
    public int MaskedCubeCount(int cubes) => (int)Math.Round(MaskRatio * cubes, MidpointRounding.AwayFromZero);

    /// <summary>
    /// A uniform permutation (Fisher–Yates) as "slot of each chunk": original chunk i lands at slot <c>result[i]</c>.
    /// Never the identity, so every sample really is shuffled.
    /// </summary>
    public int[] DrawPermutation(ref SplitMix64 rng)
    {
        var slots = Enumerable.Range(0, Chunks).ToArray();
        do
        {
            for (int i = Chunks - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (slots[i], slots[j]) = (slots[j], slots[i]);
            }
        } while (slots.Select((s, i) => s == i).All(same => same));
        return slots;
    }

    /// <summary>Exactly <see cref="MaskedCubeCount"/> of the cubes, chosen uniformly (partial Fisher–Yates); true = zeroed.</summary>
    public bool[] DrawMask(ref SplitMix64 rng, int cubes)
    {
        var order = Enumerable.Range(0, cubes).ToArray();
        int masked = MaskedCubeCount(cubes);
        for (int i = 0; i < masked; i++)
        {
            int j = i + rng.NextInt(cubes - i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var mask = new bool[cubes];
        for (int i = 0; i < masked; i++) mask[order[i]] = true;
        return mask;
    }

    /// <summary>Cubes of a crop, Z slowest then Y then X.</summary>
    public int CubeCount(int z, int y, int x) => z / MaskPatch * (y / MaskPatch) * (x / MaskPatch);

    /// <summary>
    /// The order target: for each slot, the original index of the chunk now there — the inverse of
    /// <paramref name="slotOfChunk"/>.
    /// </summary>
    public static long[] OrderTarget(int[] slotOfChunk)
    {
        var target = new long[slotOfChunk.Length];
        for (int chunk = 0; chunk < slotOfChunk.Length; chunk++) target[slotOfChunk[chunk]] = chunk;
        return target;
    }

    /// <summary>
    /// Writes the shuffled volume into <paramref name="target"/> and the shuffled + masked one into <paramref name="input"/>
    /// (both [C, Z, Y, X] at the given offsets).
    /// </summary>
    public void Apply(ReadOnlySpan<float> image, int channels, int z, int y, int x, int[] slotOfChunk, bool[] mask,
        Span<float> input, Span<float> target)
    {
        if (Problem(z, y, x) is string problem) throw new ArgumentException($"LWI shuffle + mask: {problem}.");
        if (slotOfChunk.Length != Chunks) throw new ArgumentException($"permutation has {slotOfChunk.Length} entries, expected {Chunks}.");
        if (mask.Length != CubeCount(z, y, x)) throw new ArgumentException($"mask has {mask.Length} cubes, expected {CubeCount(z, y, x)}.");
        int slice = y * x, chunkDepth = z / Chunks;
        int chunkLength = chunkDepth * slice, volume = z * slice;
        for (int c = 0; c < channels; c++)
            for (int chunk = 0; chunk < Chunks; chunk++)
            {
                var from = image.Slice(c * volume + chunk * chunkLength, chunkLength);
                from.CopyTo(target.Slice(c * volume + slotOfChunk[chunk] * chunkLength, chunkLength));
            }
        target[..(channels * volume)].CopyTo(input);
        int p = MaskPatch, cy = y / p, cx = x / p;
        for (int cube = 0; cube < mask.Length; cube++)
        {
            if (!mask[cube]) continue;
            int z0 = cube / (cy * cx) * p, y0 = cube / cx % cy * p, x0 = cube % cx * p;
            for (int c = 0; c < channels; c++)
                for (int k = z0; k < z0 + p; k++)
                    for (int j = y0; j < y0 + p; j++)
                        input.Slice(c * volume + k * slice + j * x + x0, p).Clear();
        }
    }
}

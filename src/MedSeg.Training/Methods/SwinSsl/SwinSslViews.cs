using MedSeg.Training.Data;

namespace MedSeg.Training.Methods.SwinSsl;

/// <summary>
/// Swin UNETR self-supervision's two views (Tang et al.; MONAI research code <c>utils/ops.py</c>), torch-free on
/// [B, 1, Z, Y, X] crops (X fastest): each view rotates every sample by k·90° (k uniform in 0..3, the rotation label) in
/// the Y–Z plane (<c>rot90(k, (2, 3))</c> of a MONAI [C, X, Y, Z] sample), then cuts it out twice — inner cutout
/// (blocks filled with min–max normalised Gaussian noise until a fraction U(0, 0.3) of the voxels is covered, block
/// sides 5–25 % of the crop) and, unless the partner drawn is the sample itself, outer cutout (the same kind of blocks
/// pasted from another sample of the batch, as already augmented).
/// </summary>
public static class SwinSslViews
{
    public const double MaxDrop = 0.3, MaxBlock = 0.25, Tolerance = 0.05;

    /// <summary>
    /// Writes the rotated sample <paramref name="k"/> quarter turns into <paramref name="dest"/>: out[y=i, z=j] = in[y=j, z=n−1−i]
    /// (torch.rot90 with dims (y, z)). Y and Z must be equal.
    /// </summary>
    public static void Rotate(ReadOnlySpan<float> src, Span<float> dest, CropSize crop, int k)
    {
        k = ((k % 4) + 4) % 4;
        if (k != 0 && crop.Y != crop.Z) throw new ArgumentException($"rotation in the Y–Z plane needs Y = Z, got crop {crop}.");
        int n = crop.Y, x = crop.X, plane = crop.Y * crop.X;
        for (int z = 0; z < crop.Z; z++)
            for (int y = 0; y < crop.Y; y++)
            {
                var (sy, sz) = k switch
                {
                    0 => (y, z),
                    1 => (z, n - 1 - y),
                    2 => (n - 1 - y, n - 1 - z),
                    _ => (n - 1 - z, y),
                };
                src.Slice(sz * plane + sy * x, x).CopyTo(dest.Slice(z * plane + y * x, x));
            }
    }

    /// <summary>
    /// MONAI research <c>patch_rand_drop</c> on one sample: blocks until at least U(0, max_drop) of the voxels were
    /// written; noise blocks when <paramref name="replacement"/> is null, else that sample's voxels.
    /// </summary>
    public static void PatchDrop(Span<float> sample, CropSize crop, ref SplitMix64 rng, ReadOnlySpan<float> replacement = default)
    {
        // Axes as MONAI's (h, w, z) = our (X, Y, Z).
        int[] size = [crop.X, crop.Y, crop.Z];
        double target = NextDouble(ref rng) * MaxDrop * crop.Voxels;
        var maxBlock = size.Select(s => (int)(s * MaxBlock)).ToArray();
        var tol = size.Select(s => (int)(Tolerance * s)).ToArray();
        long total = 0;
        int plane = crop.X * crop.Y;
        bool noise = replacement.IsEmpty;
        while (total < target)
        {
            var lo = new int[3];
            var hi = new int[3];
            for (int a = 0; a < 3; a++)
            {
                lo[a] = RandInt(ref rng, 0, size[a] - tol[a]);
                hi[a] = Math.Min(RandInt(ref rng, tol[a], Math.Max(maxBlock[a], tol[a] + 1)) + lo[a], size[a]);
            }
            long count = (long)(hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]);
            if (count > 0)
            {
                if (noise)
                {
                    var values = new float[count];
                    for (long i = 0; i < count; i++) values[i] = (float)Gaussian(ref rng);
                    float min = values.Min(), max = values.Max(), range = max - min;
                    int v = 0;
                    for (int z = lo[2]; z < hi[2]; z++)
                        for (int y = lo[1]; y < hi[1]; y++)
                            for (int x = lo[0]; x < hi[0]; x++)
                                sample[z * plane + y * crop.X + x] = range > 0 ? (values[v++] - min) / range : 0f;
                }
                else
                {
                    for (int z = lo[2]; z < hi[2]; z++)
                        for (int y = lo[1]; y < hi[1]; y++)
                        {
                            int row = z * plane + y * crop.X;
                            replacement.Slice(row + lo[0], hi[0] - lo[0]).CopyTo(sample.Slice(row + lo[0], hi[0] - lo[0]));
                        }
                }
            }
            total += count;
            // A degenerate crop (tolerance 0 and a zero-size draw) must still end.
            if (count == 0 && target > 0) total += 1;
        }
    }

    /// <summary>
    /// Both views of a batch: [2B, 1, Z, Y, X] augmented inputs (view 1 then view 2), the rotated un-cut images (the
    /// reconstruction target) and the rotation labels [2B].
    /// </summary>
    public static (float[] Inputs, float[] Targets, long[] Rotations) Build(float[] crops, int batch, CropSize crop, long seed, long step)
    {
        int n = (int)crop.Voxels;
        var inputs = new float[2 * batch * n];
        var targets = new float[2 * batch * n];
        var rotations = new long[2 * batch];
        for (int view = 0; view < 2; view++)
        {
            int first = view * batch;
            for (int i = 0; i < batch; i++)
            {
                var rng = SplitMix64.For(seed, 0x55A, step, view, i);
                int k = rng.NextInt(4);
                rotations[first + i] = k;
                Rotate(crops.AsSpan(i * n, n), targets.AsSpan((first + i) * n, n), crop, k);
            }
            targets.AsSpan(first * n, batch * n).CopyTo(inputs.AsSpan(first * n, batch * n));
            // Sequential as aug_rand: a partner already augmented is pasted as augmented.
            for (int i = 0; i < batch; i++)
            {
                var rng = SplitMix64.For(seed, 0xC07, step, view, i);
                var sample = inputs.AsSpan((first + i) * n, n);
                PatchDrop(sample, crop, ref rng);
                int partner = rng.NextInt(batch);
                if (partner != i) PatchDrop(sample, crop, ref rng, inputs.AsSpan((first + partner) * n, n));
            }
        }
        return (inputs, targets, rotations);
    }

    /// <summary>numpy <c>randint(lo, hi)</c>: uniform in [lo, hi).</summary>
    private static int RandInt(ref SplitMix64 rng, int lo, int hi) => hi <= lo ? lo : lo + rng.NextInt(hi - lo);

    private static double NextDouble(ref SplitMix64 rng) => (rng.NextULong() >> 11) * (1.0 / (1UL << 53));

    private static double Gaussian(ref SplitMix64 rng)
    {
        double u1 = 1.0 - NextDouble(ref rng), u2 = NextDouble(ref rng);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

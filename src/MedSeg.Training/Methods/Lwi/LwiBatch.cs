using MedSeg.Training.Data;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// One LWI batch as CPU arrays: <see cref="Inputs"/> (shuffled + masked) and <see cref="Targets"/> (shuffled, unmasked),
/// both [B, 1, Z, Y, X] X fastest; <see cref="Order"/> [B, chunks] the original chunk index at each slot.
/// </summary>
public sealed record LwiBatch(long Step, int Size, CropSize Crop, int Chunks, float[] Inputs, float[] Targets, long[] Order)
{
    public long[] Shape => [Size, 1, Crop.Z, Crop.Y, Crop.X];

    /// <summary>Names of the extra arrays on the method seam.</summary>
    public const string TargetName = "target", OrderName = "order";

    /// <summary>As the shared loop's batch: images = inputs, extras "target" (spatial) and "order" [B, chunks].</summary>
    public Batch ToBatch() => new(Step, Size, Crop, Inputs, null)
    {
        Extras = new Dictionary<string, BatchArray>
        {
            [TargetName] = BatchArray.Volume(Targets, Shape),
            [OrderName] = BatchArray.Plain(Order, Size, Chunks),
        },
    };
}

/// <summary>
/// Builds <see cref="LwiBatch"/>es: crops, then per sample (paper) or once per batch (code-compatible) a chunk
/// permutation and a cube mask from a SplitMix64 keyed by (seed, step[, item]).
/// </summary>
public sealed class LwiBatchBuilder(UnlabelledCrops crops, LwiShuffleMask transform, bool perBatchDraws, long seed)
{
    public UnlabelledCrops Crops => crops;
    public LwiShuffleMask Transform => transform;

    public LwiBatch Build(long step)
    {
        var c = crops.Crop;
        if (transform.Problem(c.Z, c.Y, c.X) is string p) throw new ArgumentException($"LWI: {p}.");
        var images = crops.Build(step);
        int b = crops.BatchSize, n = (int)c.Voxels, chunks = transform.Chunks, cubes = transform.CubeCount(c.Z, c.Y, c.X);
        var inputs = new float[images.Length];
        var targets = new float[images.Length];
        var order = new long[b * chunks];
        int[]? slots = null;
        bool[]? mask = null;
        for (int i = 0; i < b; i++)
        {
            if (slots is null || !perBatchDraws)
            {
                var rng = perBatchDraws ? SplitMix64.For(seed, 0x1A1, step) : SplitMix64.For(seed, 0x1A1, step, i);
                slots = transform.DrawPermutation(ref rng);
                mask = transform.DrawMask(ref rng, cubes);
            }
            transform.Apply(images.AsSpan(i * n, n), 1, c.Z, c.Y, c.X, slots, mask!, inputs.AsSpan(i * n, n), targets.AsSpan(i * n, n));
            LwiShuffleMask.OrderTarget(slots).CopyTo(order, i * chunks);
        }
        return new LwiBatch(step, b, c, chunks, inputs, targets, order);
    }
}

/// <summary>LWI batches for the shared loop.</summary>
public sealed class LwiBatches(LwiBatchBuilder builder) : Loop.ITrainingBatches
{
    public string Description => $"{builder.Crops.Description}, {builder.Transform.Chunks} chunks, {builder.Transform.MaskRatio:P0} of {builder.Transform.MaskPatch}³ cubes masked";
    public Batch Build(long step) => builder.Build(step).ToBatch();
    public double Epoch(long step) => builder.Crops.Order.Epoch(step);
}

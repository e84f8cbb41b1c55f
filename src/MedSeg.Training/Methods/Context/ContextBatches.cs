using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Data;
using MedSeg.Training.Loop;

namespace MedSeg.Training.Methods.Context;

/// <summary>
/// The context run's batches for the shared loop: the pairs of <see cref="ContextPairSampler"/> as plain extras
/// (<see cref="ContextBatchArrays"/>; patches are not volumes, so no axis reordering). The images slot holds a 1-voxel
/// placeholder per item: the objective reads only the extras.
/// </summary>
public sealed class ContextBatches(ContextPairSampler sampler, int batchSize, int volumeCount, string description) : ITrainingBatches
{
    public string Description { get; } = description;

    public Batch Build(long step)
    {
        var b = sampler.Build(step);
        long[] pairs = [ContextPairBatch.Axes, b.BatchSize, 2];
        return new Batch(step, b.BatchSize, new CropSize(1, 1, 1), new float[b.BatchSize], Labels: null)
        {
            Extras = new Dictionary<string, BatchArray>
            {
                [ContextBatchArrays.Patches1] = BatchArray.Plain(b.Patches1, b.PatchShape),
                [ContextBatchArrays.Patches2] = BatchArray.Plain(b.Patches2, b.PatchShape),
                [ContextBatchArrays.HeatOffsets] = BatchArray.Plain(b.HeatOffsets, pairs),
                [ContextBatchArrays.RegTargets] = BatchArray.Plain(b.RegTargets, pairs),
            },
        };
    }

    /// <summary>Pairs drawn per volume (three axes per step).</summary>
    public double Epoch(long step) => (double)step * batchSize * ContextPairBatch.Axes / volumeCount;
}

using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Data;
using MedSeg.Training.Loop;

namespace MedSeg.Training.Methods.Doersch;

/// <summary>
/// The Doersch run's batches: cube pairs and neighbour labels as plain extras (<see cref="DoerschBatchArrays"/>; sampled in
/// the volume's own frame, so not reordered), a 1-voxel placeholder in the images slot.
/// </summary>
public sealed class DoerschBatches(DoerschPairSampler sampler, int batchSize, int volumeCount, string description) : ITrainingBatches
{
    public string Description { get; } = description;

    public Batch Build(long step)
    {
        var b = sampler.Build(step);
        return new Batch(step, b.BatchSize, new CropSize(1, 1, 1), new float[b.BatchSize], Labels: null)
        {
            Extras = new Dictionary<string, BatchArray>
            {
                [DoerschBatchArrays.Cubes1] = BatchArray.Plain(b.Cubes1, b.CubeShape),
                [DoerschBatchArrays.Cubes2] = BatchArray.Plain(b.Cubes2, b.CubeShape),
                [DoerschBatchArrays.Labels] = BatchArray.Plain(b.Labels, b.BatchSize),
            },
        };
    }

    public double Epoch(long step) => (double)step * batchSize / volumeCount;
}

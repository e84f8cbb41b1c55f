using MedSeg.Training.Data;
using MedSeg.Training.Loop;

namespace MedSeg.Training.Tests.Methods.Toy;

/// <summary>
/// The toy method's batch source: random volumes, each flipped along X or not. No labels; the extras are the unflipped
/// volume ("target", spatial) and whether it was flipped ("order", one class index per item). A pure function of
/// (seed, step), so resume rebuilds the same batches.
/// </summary>
public sealed class ToyBatches(long seed, int batchSize, int crop) : ITrainingBatches
{
    public string Description => $"toy volumes {crop}³ × {batchSize}";

    public Batch Build(long step)
    {
        var size = CropSize.Cube(crop);
        long n = size.Voxels;
        var images = new float[batchSize * n];
        var target = new float[batchSize * n];
        var order = new long[batchSize];
        for (int b = 0; b < batchSize; b++)
        {
            var rng = SplitMix64.For(seed, 0x70, step, b);
            order[b] = rng.NextInt(2);
            for (long i = 0; i < n; i++) target[b * n + i] = rng.NextInt(1000) / 1000f;
            for (long i = 0; i < n; i++)
            {
                long x = i % crop, row = i - x;
                images[b * n + i] = target[b * n + row + (order[b] == 1 ? crop - 1 - x : x)];
            }
        }
        return new Batch(step, batchSize, size, images, Labels: null)
        {
            Extras = new Dictionary<string, BatchArray>
            {
                ["target"] = BatchArray.Volume(target, batchSize, 1, crop, crop, crop),
                ["order"] = BatchArray.Plain(order, batchSize),
            },
        };
    }

    public double Epoch(long step) => step / 10.0;
}

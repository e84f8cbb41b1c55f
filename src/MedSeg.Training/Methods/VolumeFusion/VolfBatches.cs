using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Training.Data;
using MedSeg.Training.Loop;

namespace MedSeg.Training.Methods.VolumeFusion;

/// <summary>
/// On-the-fly Volume Fusion batches: item b of step s is fused sample s·B + b (every step sees new samples, and any
/// step can be rebuilt exactly on resume). The sample is already the crop; labels are fusion classes 0..K.
/// </summary>
public sealed class VolfBatches(VolfSampler sampler, int batchSize, int sourceCount, string description) : ITrainingBatches
{
    public string Description { get; } = description;

    public CropSize Crop { get; } = new(sampler.Options.Size[2], sampler.Options.Size[1], sampler.Options.Size[0]);

    public Batch Build(long step)
    {
        long n = Crop.Voxels;
        var images = new float[batchSize * n];
        var labels = new long[batchSize * n];
        for (int b = 0; b < batchSize; b++)
        {
            var s = sampler.Generate(checked((int)(step * batchSize + b)));
            Array.Copy(s.Image, 0, images, b * n, n);
            for (long v = 0; v < n; v++) labels[b * n + v] = s.Label[v];
        }
        return new Batch(step, batchSize, Crop, images, labels);
    }

    /// <summary>Sub-volumes drawn per source volume so far.</summary>
    public double Epoch(long step) => (double)step * batchSize / Math.Max(1, sourceCount);
}

using MedSeg.Core.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Inference;

/// <summary>
/// Whole-volume prediction with a segmentation network: the image goes in as [1, 1, Z, Y, X], the model
/// runs in eval mode window by window (<see cref="SlidingWindowInference"/>) on the compute device, and
/// the stitched logits come back on the output device (CPU unless set).
/// </summary>
public sealed class VolumePredictor(nn.Module<Tensor, Tensor> model, SlidingWindowOptions options)
{
    /// <summary>Logits [1, C, Z, Y, X].</summary>
    public Tensor PredictLogits(Volume image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var computeDevice = options.ComputeDevice ?? CPU;
        var windowOptions = new SlidingWindowOptions
        {
            RoiSize = options.RoiSize,
            SwBatchSize = options.SwBatchSize,
            Overlap = options.Overlap,
            Mode = options.Mode,
            SigmaScale = options.SigmaScale,
            PaddingValue = options.PaddingValue,
            ComputeDevice = computeDevice,
            OutputDevice = options.OutputDevice ?? CPU,
        };
        bool wasTraining = model.training;
        model.to(computeDevice);
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            var x = VolumeTensors.ToImageTensor(image);
            return SlidingWindowInference.Run(x, model.call, windowOptions).MoveToOuterDisposeScope();
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>Argmax labels on the image's grid (uint8, same spacing and affine).</summary>
    public Volume PredictLabels(Volume image)
    {
        using var logits = PredictLogits(image);
        return PredictionWriter.ToLabelVolume(logits, image);
    }
}

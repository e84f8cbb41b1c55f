using MedSeg.Core.Volumes;
using MedSeg.Training.Layout;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Inference;

/// <summary>
/// Whole-volume prediction with a segmentation network: the image goes in as [1, 1, *spatial] in the model's
/// <paramref name="axisOrder"/> (<see cref="TensorLayout"/>), the model runs in eval mode window by window
/// (<see cref="SlidingWindowInference"/>) on the compute device, and the stitched logits come back on the output
/// device (CPU unless set) in buffer order. <see cref="SlidingWindowOptions.RoiSize"/> is listed (Z, Y, X) whatever the order.
/// </summary>
public sealed class VolumePredictor(nn.Module<Tensor, Tensor> model, SlidingWindowOptions options, AxisOrder axisOrder = AxisOrder.Zyx)
{
    public AxisOrder AxisOrder => axisOrder;

    /// <summary>Logits [1, C, Z, Y, X] (buffer order, whatever the model's axis order).</summary>
    public Tensor PredictLogits(Volume image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var computeDevice = options.ComputeDevice ?? CPU;
        var windowOptions = new SlidingWindowOptions
        {
            RoiSize = TensorLayout.SpatialFromZyx(options.RoiSize, axisOrder),
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
            var x = TensorLayout.ImageTensor(image, axisOrder);
            var logits = SlidingWindowInference.Run(x, model.call, windowOptions);
            return TensorLayout.ToBufferOrder(logits, axisOrder).MoveToOuterDisposeScope();
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

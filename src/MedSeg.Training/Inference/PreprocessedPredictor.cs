using MedSeg.Core.Preprocessing;
using MedSeg.Core.Volumes;
using static TorchSharp.torch;

namespace MedSeg.Training.Inference;

/// <summary>
/// Whole-image prediction for a network trained on preprocessed images — the one implementation behind both
/// `medseg predict` on a fine-tuned run and the fine-tuning run's own evaluation: the image goes through the
/// deterministic preprocessing (<see cref="InferencePreprocessing.Prepare"/>), sliding-window inference runs on the
/// prepared grid, and the argmax comes back onto the original image grid (same shape, spacing and affine).
/// Without preprocessing (null) the network sees the raw image, as for a pretraining checkpoint.
/// </summary>
public sealed class PreprocessedPredictor(nn.Module<Tensor, Tensor> model, PreprocessingOptions? preprocessing, SlidingWindowOptions window,
    Layout.AxisOrder axisOrder = Layout.AxisOrder.Zyx)
{
    private readonly InferencePreprocessing? _preprocessing = preprocessing is null ? null : new InferencePreprocessing(preprocessing);
    private readonly VolumePredictor _predictor = new(model, window, axisOrder);

    public InferencePreprocessing? Preprocessing => _preprocessing;

    /// <summary>uint8 labels on <paramref name="image"/>'s grid.</summary>
    public Volume PredictLabels(Volume image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (_preprocessing is null) return _predictor.PredictLabels(image);
        var prepared = _preprocessing.Prepare(image);
        var labels = _predictor.PredictLabels(prepared);
        return InferencePreprocessing.ToOriginalGrid(labels, image);
    }
}

using MedSeg.Training.Losses;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods;

/// <summary>
/// The objective of supervised segmentation (FDSL pretraining, fine-tuning): the backbone's logits against the batch's
/// labels under a segmentation loss; no heads, one loss term.
/// </summary>
public sealed class SegmentationObjective(ISegmentationLoss loss) : IMethodObjective
{
    public nn.Module? Heads => null;

    public LossTerms Compute(nn.Module<Tensor, Tensor> backbone, BatchTensors batch)
    {
        var labels = batch.Labels ?? throw new InvalidOperationException("A segmentation objective needs labels in every batch.");
        return LossTerms.Single(loss.Compute(backbone.call(batch.Images), labels));
    }

    public void Dispose() { }
}

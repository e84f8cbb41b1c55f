using static TorchSharp.torch;

namespace MedSeg.Training.Losses;

/// <summary>A loss over network logits [B, C, D, H, W] and a target ([B, 1, ...] class indices or [B, C, ...]).</summary>
public interface ISegmentationLoss
{
    Tensor Compute(Tensor input, Tensor target);
}

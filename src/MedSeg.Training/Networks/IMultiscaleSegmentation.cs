using static TorchSharp.torch;

namespace MedSeg.Training.Networks;

/// <summary>
/// A segmentation network that can also return deep-supervision outputs: index 0 is what <c>forward</c> returns
/// (full resolution), the rest are coarser logits in the network's own order.
/// </summary>
public interface IMultiscaleSegmentation
{
    /// <summary>How many outputs <see cref="ForwardMultiscale"/> returns (1 when deep supervision is off).</summary>
    int OutputCount { get; }

    Tensor[] ForwardMultiscale(Tensor input);
}

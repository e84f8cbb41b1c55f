using MedSeg.Training.Losses;
using MedSeg.Training.Networks;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.VolumeFusion;

/// <summary>
/// The Volume Fusion objective: name each voxel's fusion weight. PyMIC Dice + CE (0.5 / 0.5); a network with
/// deep-supervision outputs (PCT-Net, multiscale_pred) is supervised at every scale (1/2^i weights, pooled one-hot
/// target). No heads: the segmentation network is the whole model.
/// </summary>
public sealed class VolfObjective : IMethodObjective
{
    private readonly PymicDiceCeLoss _loss = new();

    public nn.Module? Heads => null;

    public LossTerms Compute(nn.Module<Tensor, Tensor> backbone, BatchTensors batch)
    {
        var labels = batch.Labels ?? throw new InvalidOperationException("Volume Fusion batches carry fusion-class labels.");
        if (backbone is IMultiscaleSegmentation { OutputCount: > 1 } multi)
        {
            var outputs = multi.ForwardMultiscale(batch.Images);
            try { return LossTerms.Single(new DeepSupervisionLoss(_loss).Compute(outputs, labels)); }
            finally { foreach (var o in outputs) o.Dispose(); }
        }
        using var logits = backbone.call(batch.Images);
        return LossTerms.Single(_loss.Compute(logits, labels));
    }

    public void Dispose() { }
}

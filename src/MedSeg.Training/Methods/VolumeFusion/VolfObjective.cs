using MedSeg.Training.Natives;
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

    /// <summary>Term names in metrics.csv and the live chart: the two halves of the loss, unweighted.</summary>
    public const string DiceTerm = "loss_dice", CeTerm = "loss_ce";

    /// <summary>Total = 0.5·Dice + 0.5·CE; both terms reported apart (each deep-supervised over the outputs when there are several).</summary>
    public LossTerms Compute(nn.Module<Tensor, Tensor> backbone, BatchTensors batch)
    {
        var labels = batch.Labels ?? throw new InvalidOperationException("Volume Fusion batches carry fusion-class labels.");
        Tensor dice, ce;
        if (backbone is IMultiscaleSegmentation { OutputCount: > 1 } multi)
        {
            var outputs = multi.ForwardMultiscale(batch.Images);
            try
            {
                var terms = new DeepSupervisionLoss(_loss).ComputeTerms(outputs, labels, (o, t) =>
                {
                    var (d, c) = _loss.Terms(o, t);
                    return [d, c];
                });
                (dice, ce) = (terms[0], terms[1]);
            }
            finally { foreach (var o in outputs) o.Dispose(); }
        }
        else
        {
            using var logits = backbone.call(batch.Images);
            (dice, ce) = _loss.Terms(logits, labels);
        }
        var total = ScalarSafe.WeightedSum(_loss.DiceWeight, dice, _loss.CeWeight, ce);
        return new LossTerms(total, new Dictionary<string, Tensor> { [DiceTerm] = dice, [CeTerm] = ce });
    }

    public void Dispose() { }
}

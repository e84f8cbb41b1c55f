using MedSeg.Training.Natives;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Losses;

/// <summary>
/// Soft Dice loss with MONAI's semantics (monai/losses/dice.py): optional sigmoid/softmax on the
/// input, optional one-hot of a class-index target, optional dropping of channel 0, per-(item, class)
/// f = 1 − (2·I + smooth_nr) / (Σt + Σp + smooth_dr) (squared sums or Jaccard on request), then reduced.
/// </summary>
public sealed class DiceLoss : ISegmentationLoss
{
    public DiceLoss(DiceLossOptions? options = null)
    {
        Options = options ?? new DiceLossOptions();
        if (Options.Sigmoid && Options.Softmax)
            throw new ArgumentException("DiceLoss: sigmoid and softmax are mutually exclusive.");
    }

    public DiceLossOptions Options { get; }

    public Tensor Compute(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        var o = Options;
        long channels = input.shape[1];
        if (o.Sigmoid) input = input.sigmoid();
        // MONAI only warns (and skips) softmax / one-hot / background removal on single-channel input.
        if (o.Softmax && channels > 1) input = input.softmax(1);
        if (o.ToOnehotY && channels > 1) target = OneHot(target, channels, input.dtype);
        else if (!target.is_floating_point()) target = target.to(input.dtype);
        if (!o.IncludeBackground && channels > 1)
        {
            target = target[.., 1..];
            input = input[.., 1..];
        }
        if (!target.shape.SequenceEqual(input.shape))
            throw new ArgumentException(
                $"DiceLoss: target shape [{string.Join(", ", target.shape)}] differs from input shape [{string.Join(", ", input.shape)}].");

        var axes = Enumerable.Range(o.Batch ? 0 : 2, (int)input.dim() - (o.Batch ? 0 : 2)).Where(a => a != 1).Select(a => (long)a).ToArray();
        var intersection = (target * input).sum(axes);
        Tensor groundO, predO;
        if (o.SquaredPred)
        {
            groundO = target.Power(2).sum(axes);
            predO = input.Power(2).sum(axes);
        }
        else
        {
            groundO = target.sum(axes);
            predO = input.sum(axes);
        }
        // ScalarSafe: numbers held across the native calls (TorchSharp's operators let the GC free them mid-call).
        var denominator = groundO.Plus(predO);
        if (o.Jaccard) denominator = denominator.Minus(intersection).Times(2.0);
        var f = intersection.Times(2.0).PlusValue(o.SmoothNr).div(denominator.PlusValue(o.SmoothDr)).SubtractedFrom(1.0);
        var result = o.Reduction switch
        {
            LossReduction.Mean => f.mean(),
            LossReduction.Sum => f.sum(),
            _ => f,
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>[B, 1, ...] class indices → [B, C, ...] one-hot in <paramref name="dtype"/>, as monai.networks.one_hot.</summary>
    internal static Tensor OneHot(Tensor target, long classes, ScalarType dtype)
    {
        if (target.dim() < 2 || target.shape[1] != 1)
            throw new ArgumentException($"One-hot needs a class-index target of shape [B, 1, ...], got [{string.Join(", ", target.shape)}].");
        var index = target.to(ScalarType.Int64);
        var zeros = torch.zeros(target.shape.Select((s, i) => i == 1 ? classes : s).ToArray(), dtype, target.device);
        return zeros.scatter_(1, index, torch.ones_like(index, dtype));
    }
}

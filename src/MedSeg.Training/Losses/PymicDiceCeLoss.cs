using MedSeg.Training.Natives;
using static TorchSharp.torch;

namespace MedSeg.Training.Losses;

/// <summary>
/// PyMIC's Dice + cross-entropy (the MIS-FM / Volume Fusion loss), weights 0.5 / 0.5 by default. Both take softmax
/// probabilities and a one-hot (or soft) target, flattened over the WHOLE batch to [voxels, C]:
/// Dice per class (2·Σp·y + 1e-5) / (Σy + Σp + 1e-5), loss = mean over all classes (background included) of 1 − Dice;
/// CE = mean over voxels of −Σ_c y·log(0.999·p + 5e-4) (PyMIC's numeric-stability squeeze).
/// A [B, 1, …] class-index target is one-hot encoded first.
/// </summary>
public sealed class PymicDiceCeLoss(double diceWeight = 0.5, double ceWeight = 0.5) : ISegmentationLoss
{
    public double DiceWeight { get; } = diceWeight >= 0 ? diceWeight : throw new ArgumentOutOfRangeException(nameof(diceWeight), diceWeight, "must be >= 0");
    public double CeWeight { get; } = ceWeight >= 0 ? ceWeight : throw new ArgumentOutOfRangeException(nameof(ceWeight), ceWeight, "must be >= 0");

    public Tensor Compute(Tensor input, Tensor target)
    {
        var (dice, ce) = Terms(input, target);
        using (dice)
        using (ce)
            return ScalarSafe.WeightedSum(DiceWeight, dice, CeWeight, ce);
    }

    /// <summary>The two terms separately (unweighted): (Dice loss, cross-entropy).</summary>
    public (Tensor Dice, Tensor Ce) Terms(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        long classes = input.shape[1];
        var soft = SoftTarget(target, classes, input.dtype);
        if (!soft.shape.SequenceEqual(input.shape))
            throw new ArgumentException($"PymicDiceCeLoss: target [{string.Join(", ", soft.shape)}] does not match logits [{string.Join(", ", input.shape)}].");
        var p = Flatten(input.softmax(1));
        var y = Flatten(soft);
        // 0L, not 0: a literal 0 converts to ScalarType and picks the whole-tensor sum(dtype) overload.
        var intersect = (p * y).sum(0L);
        var dice = intersect.Times(2.0).PlusValue(1e-5) / y.sum(0L).Plus(p.sum(0L)).PlusValue(1e-5);
        var diceLoss = dice.SubtractedFrom(1.0).mean();
        var ce = (-(y * p.Times(0.999).PlusValue(5e-4).log())).sum(1).mean();
        return (diceLoss.MoveToOuterDisposeScope(), ce.MoveToOuterDisposeScope());
    }

    /// <summary>[B, 1, …] class indices → one-hot [B, C, …] in <paramref name="dtype"/>; a [B, C, …] target passes through.</summary>
    public static Tensor SoftTarget(Tensor target, long classes, ScalarType dtype)
    {
        if (target.shape[1] != 1 || classes == 1) return target.to(dtype);
        var oneHot = nn.functional.one_hot(target.squeeze(1).to(ScalarType.Int64), classes); // [B, …, C]
        var order = new long[oneHot.dim()];
        order[0] = 0;
        order[1] = oneHot.dim() - 1;
        for (int i = 2; i < order.Length; i++) order[i] = i - 1;
        return oneHot.permute(order).to(dtype);
    }

    private static Tensor Flatten(Tensor x)
    {
        long c = x.shape[1];
        var order = new long[x.dim()];
        order[0] = 0;
        for (int i = 1; i < order.Length - 1; i++) order[i] = i + 1;
        order[^1] = 1;
        return x.permute(order).reshape(-1, c);
    }
}

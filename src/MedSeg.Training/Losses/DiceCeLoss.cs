using MedSeg.Training.Natives;
using static TorchSharp.torch;

namespace MedSeg.Training.Losses;

/// <summary>
/// λ_dice·Dice + λ_ce·CrossEntropy with MONAI's DiceCELoss semantics: the CE term takes a
/// [B, 1, ...] class-index target (squeezed to [B, ...]) or a same-shaped probability target, mean reduction.
/// </summary>
public sealed class DiceCeLoss : ISegmentationLoss
{
    public DiceCeLoss(DiceLossOptions? dice = null, double lambdaDice = 1.0, double lambdaCe = 1.0)
    {
        if (lambdaDice < 0) throw new ArgumentException($"DiceCeLoss: lambda_dice must be ≥ 0, got {lambdaDice}.");
        if (lambdaCe < 0) throw new ArgumentException($"DiceCeLoss: lambda_ce must be ≥ 0, got {lambdaCe}.");
        Dice = new DiceLoss(dice);
        LambdaDice = lambdaDice;
        LambdaCe = lambdaCe;
    }

    public DiceLoss Dice { get; }
    public double LambdaDice { get; }
    public double LambdaCe { get; }

    public Tensor Compute(Tensor input, Tensor target)
    {
        if (input.shape[1] == 1)
            throw new ArgumentException("DiceCeLoss: single-channel input needs BCE, which is not implemented; use DiceLoss with sigmoid.");
        using var scope = NewDisposeScope();
        var dice = Dice.Compute(input, target);
        var ce = CrossEntropy(input, target);
        return ScalarSafe.WeightedSum(LambdaDice, dice, LambdaCe, ce).MoveToOuterDisposeScope();
    }

    private static Tensor CrossEntropy(Tensor input, Tensor target)
    {
        if (target.shape[1] == 1 && input.shape[1] != 1)
            return nn.functional.cross_entropy(input, target.squeeze(1).to(ScalarType.Int64));
        return nn.functional.cross_entropy(input, target.is_floating_point() ? target : target.to(input.dtype));
    }
}

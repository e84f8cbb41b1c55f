namespace MedSeg.Training.Losses;

/// <summary>Settings of <see cref="DiceLoss"/>, named and defaulted as MONAI's <c>DiceLoss</c> arguments.</summary>
public sealed record DiceLossOptions
{
    public bool IncludeBackground { get; init; } = true;
    public bool ToOnehotY { get; init; }
    public bool Sigmoid { get; init; }
    public bool Softmax { get; init; }
    public bool SquaredPred { get; init; }
    public bool Jaccard { get; init; }
    public LossReduction Reduction { get; init; } = LossReduction.Mean;
    public double SmoothNr { get; init; } = 1e-5;
    public double SmoothDr { get; init; } = 1e-5;
    /// <summary>Sum intersections over the batch before dividing (one Dice per class, not per item).</summary>
    public bool Batch { get; init; }
}

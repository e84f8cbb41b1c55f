namespace MedSeg.Training.Losses;

/// <summary>How a per-(batch, class) loss is reduced, as MONAI's <c>LossReduction</c>.</summary>
public enum LossReduction
{
    /// <summary>No reduction: the per-item tensor (shape [B, C], or [C] with batch=true).</summary>
    None,
    Mean,
    Sum,
}

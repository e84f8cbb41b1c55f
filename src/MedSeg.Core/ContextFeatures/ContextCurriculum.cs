namespace MedSeg.Core.ContextFeatures;

/// <summary>
/// The in-plane offset range over training: ±U(min, max) with min 0.25 → 0 and max 0.3 → 0.7 linearly from the first
/// to the last step (the notebook's torch.linspace over its iterations: step 0 gives the start, step N−1 the end).
/// </summary>
public sealed record ContextCurriculum(double MinStart = 0.25, double MinEnd = 0.0, double MaxStart = 0.3, double MaxEnd = 0.7)
{
    /// <summary>(min, max) at zero-based <paramref name="step"/> of a run of <paramref name="totalSteps"/>.</summary>
    public (double Min, double Max) At(long step, long totalSteps)
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), $"Total steps must be ≥ 1, got {totalSteps}.");
        double f = totalSteps == 1 ? 0.0 : Math.Clamp((double)step / (totalSteps - 1), 0.0, 1.0);
        return (MinStart + f * (MinEnd - MinStart), MaxStart + f * (MaxEnd - MaxStart));
    }

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        foreach (var (name, v) in new[] { ("curriculum min start", MinStart), ("curriculum min end", MinEnd), ("curriculum max start", MaxStart), ("curriculum max end", MaxEnd) })
            if (!(v is >= 0 and <= 2)) p.Add($"The {name} must be 0..2, got {v}.");
        if (MinStart > MaxStart || MinEnd > MaxEnd) p.Add($"The curriculum's min must not exceed its max (start {MinStart} > {MaxStart} or end {MinEnd} > {MaxEnd}).");
        return p;
    }
}

namespace MedSeg.Core.Metrics;

/// <summary>Dice overlap of one class from voxel counts, with MONAI 1.5's <c>DiceHelper.compute_channel</c> conventions.</summary>
public static class DiceCoefficient
{
    /// <summary>
    /// 2·|P∩T| / (|P| + |T|) when the ground truth T has voxels of the class.
    /// Ground truth empty: NaN when <paramref name="ignoreEmpty"/> (MONAI's default, so the class drops out of
    /// NaN-aware means whatever the prediction holds); otherwise 1 when the prediction is empty too, else 0.
    /// Prediction empty, truth not: 0.
    /// </summary>
    public static double FromCounts(long intersection, long predictionCount, long truthCount, bool ignoreEmpty = true)
    {
        if (intersection < 0 || predictionCount < 0 || truthCount < 0 || intersection > Math.Min(predictionCount, truthCount))
            throw new ArgumentException($"Inconsistent counts: intersection {intersection}, prediction {predictionCount}, truth {truthCount}.");
        if (truthCount > 0) return 2.0 * intersection / (predictionCount + truthCount);
        if (ignoreEmpty) return double.NaN;
        return predictionCount == 0 ? 1.0 : 0.0;
    }
}

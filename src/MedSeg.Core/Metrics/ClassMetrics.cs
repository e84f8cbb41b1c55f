namespace MedSeg.Core.Metrics;

/// <summary>
/// Metrics of one label value: voxel counts, Dice, average symmetric surface distance and 95th-percentile
/// Hausdorff distance (both in mm). NaN / +∞ follow MONAI 1.5 (see <see cref="DiceCoefficient"/> and
/// <see cref="SurfaceDistanceMetrics"/>): truth empty → Dice NaN; both empty → all NaN; exactly one empty →
/// ASSD +∞ and HD95 NaN.
/// </summary>
public sealed record ClassMetrics(int Label, long PredictionVoxels, long LabelVoxels, double Dice, double Assd, double Hd95);

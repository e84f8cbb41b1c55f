using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation;

/// <summary>
/// Outcome of one kNN evaluation: the predicted label map [D, H, W] (int64, caller disposes) and Dice per
/// class 0..C−1 (NaN when the reference lacks the class, as MONAI's DiceMetric with ignore_empty).
/// <see cref="MeanForegroundDice"/> averages classes ≥ 1 present in the reference (NaN if none).
/// </summary>
public sealed record KnnEvaluationResult(Tensor Prediction, double[] Dice, double MeanForegroundDice, int AtlasDescriptors, int QueryDescriptors);

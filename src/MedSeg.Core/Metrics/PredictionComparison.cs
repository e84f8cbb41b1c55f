using MedSeg.Core.Volumes;

namespace MedSeg.Core.Metrics;

/// <summary>
/// Voxel-wise agreement map between a predicted and a ground-truth label map, for display as a label overlay.
/// Values: <see cref="Agree"/> (both background, or both outside <c>classes</c>), <see cref="Correct"/> (same foreground class),
/// <see cref="FalsePositive"/> (prediction foreground where the label is background), <see cref="FalseNegative"/> (label
/// foreground the prediction missed or labelled as another class).
/// Precedence: a voxel where both are foreground but the classes differ counts as a false negative (the true structure was
/// missed), not a false positive, so every label-foreground voxel is either correct or a false negative.
/// </summary>
public static class PredictionComparison
{
    public const byte Agree = 0, Correct = 1, FalsePositive = 2, FalseNegative = 3;

    /// <summary>Legend names for values 1..3 (index 0 is background).</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["agree (background)", "correct", "false positive", "false negative"];

    /// <param name="classes">Foreground classes to compare; other values count as background. Null: every non-zero value.</param>
    /// <exception cref="SegmentationMismatchException">Shapes, spacings or affines differ.</exception>
    public static Volume Build(Volume prediction, Volume label, IReadOnlyCollection<int>? classes = null,
        string predictionName = "prediction", string labelName = "label")
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(label);
        SegmentationEvaluator.CheckSameGrid(prediction, label, new EvaluationOptions().AffineTolerance, predictionName, labelName);
        var p = LabelMap.From(prediction, predictionName);
        var l = LabelMap.From(label, labelName);
        var keep = classes is null ? null : new HashSet<int>(classes);
        int Foreground(int v) => v != 0 && (keep is null || keep.Contains(v)) ? v : 0;

        var map = new byte[p.Length];
        for (int i = 0; i < map.Length; i++)
        {
            int pv = Foreground(p[i]), lv = Foreground(l[i]);
            map[i] = lv != 0 ? (pv == lv ? Correct : FalseNegative) : pv != 0 ? FalsePositive : Agree;
        }
        return new Volume(label.SizeX, label.SizeY, label.SizeZ, map, (double[])label.Spacing.Clone(), (double[])label.Affine.Clone());
    }
}

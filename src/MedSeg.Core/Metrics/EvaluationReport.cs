namespace MedSeg.Core.Metrics;

/// <summary>Per-class metrics of a prediction against a label volume, and their NaN-aware means (<see cref="NanAwareMean"/>).</summary>
public sealed record EvaluationReport(
    string Prediction, string Label, int[] Shape, double[] Spacing,
    IReadOnlyList<ClassMetrics> Classes, double MeanDice, double MeanAssd, double MeanHd95);

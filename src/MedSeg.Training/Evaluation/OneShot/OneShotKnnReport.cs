namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>Dice per organ of one target (null: organ absent from the target's reference).</summary>
public sealed record KnnTargetScore(string Case, IReadOnlyDictionary<string, double?> Dice, double? MeanDice);

/// <summary>
/// The outcome of a one-shot kNN evaluation (written as knn.json-style files): per target and per organ Dice, their mean
/// over targets, and timings (descriptor extraction per volume, kNN search per target).
/// </summary>
public sealed record OneShotKnnReport(
    string Source,
    string Descriptor,
    OneShotKnnOptions Options,
    IReadOnlyList<string> AtlasCases,
    IReadOnlyList<KnnTargetScore> Targets,
    IReadOnlyDictionary<string, double?> DicePerOrgan,
    double? MeanDice,
    int DescriptorLength,
    double DescriptorSecondsPerVolume,
    double KnnSecondsPerTarget,
    string? TransferCase,
    string? TransferFile,
    DateTimeOffset FinishedAt);

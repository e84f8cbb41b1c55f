namespace MedSeg.Core.Datasets.Msd;

/// <summary>What <see cref="MsdDatasetValidator"/> found: the layout, cases and every problem (none = valid).</summary>
public sealed record DatasetValidationReport(
    string Directory,
    DatasetLayout? Layout,
    IReadOnlyList<DatasetCase> Cases,
    IReadOnlyList<string> TestImages,
    IReadOnlyList<int> LabelValues,
    IReadOnlyList<DatasetProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

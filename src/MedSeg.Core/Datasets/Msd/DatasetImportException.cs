namespace MedSeg.Core.Datasets.Msd;

/// <summary>An import refused: the message names the source; <see cref="Problems"/> lists every validation problem, if any.</summary>
public sealed class DatasetImportException(string message, IReadOnlyList<DatasetProblem>? problems = null) : Exception(message)
{
    public IReadOnlyList<DatasetProblem> Problems { get; } = problems ?? [];
}

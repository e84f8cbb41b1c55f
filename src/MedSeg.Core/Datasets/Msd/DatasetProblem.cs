namespace MedSeg.Core.Datasets.Msd;

/// <summary>One thing wrong with a dataset folder: the file (relative to the folder) and what is wrong with it.</summary>
public sealed record DatasetProblem(string File, string Message)
{
    public override string ToString() => $"{File}: {Message}";
}

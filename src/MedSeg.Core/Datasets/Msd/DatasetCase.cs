namespace MedSeg.Core.Datasets.Msd;

/// <summary>One training case: its id, image file(s) (one per channel) and label file, relative to the dataset folder with '/' separators.</summary>
public sealed record DatasetCase(string Id, IReadOnlyList<string> Images, string Label);

namespace MedSeg.Core.Datasets.Msd;

/// <summary>An imported dataset: where it now lives, what validation found (no problems) and the split written beside it.</summary>
public sealed record MsdImportResult(string Target, DatasetValidationReport Report, DatasetSplit Split);

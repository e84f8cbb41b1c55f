namespace MedSeg.Data.Entities;

/// <summary>Known generator kinds stored in <see cref="Dataset.Kind"/>.</summary>
public static class DatasetKinds
{
    public const string AvsDb = "AvsDb";
}

namespace MedSeg.Web.Infrastructure.Options;

/// <summary>Where generated data lives, bound from the <c>Storage</c> section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Data root; relative paths are resolved against the content root (the repository root). Default <c>data</c>.</summary>
    public string DataRoot { get; set; } = "data";

    /// <summary>The absolute data root for a content root.</summary>
    public string ResolveDataRoot(string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(DataRoot) ? DataRoot : Path.Combine(contentRoot, DataRoot));
}

namespace MedSeg.Data.Entities;

/// <summary>
/// A stored benchmark protocol of a lab: one row per saved version (saving a protocol under an existing name adds the
/// next version; rows are never edited). <see cref="Json"/> is the <c>BenchmarkProtocol</c> JSON.
/// </summary>
public class BenchmarkProtocolEntry
{
    public int Id { get; set; }
    public string LabId { get; set; } = Labs.Default;
    public string Name { get; set; } = "";
    public int Version { get; set; }
    public string Json { get; set; } = "{}";
    /// <summary>Hash of the recipe (fine-tune options and metrics): versions with the same recipe share their cells.</summary>
    public string RecipeHash { get; set; } = "";
    public string OwnerId { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

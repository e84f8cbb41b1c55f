namespace MedSeg.Data.Entities;

/// <summary>
/// The one rule for the names people give runs, datasets and benchmark cells: 1..<see cref="MaxLength"/> characters
/// (the columns' length, see Configurations). Forms, services and the ingest API all ask this type.
/// </summary>
public static class NameRule
{
    public const int MaxLength = 200;

    /// <summary>Null when <paramref name="name"/> (already trimmed) is fine; else the sentence naming the field, the length and the limit.</summary>
    public static string? Problem(string name, string field = "Name") =>
        name.Length is 0 or > MaxLength ? $"{field}: must be 1..{MaxLength} characters, got {name.Length}." : null;

    /// <summary>A generated name cut to the limit (a generated name is never refused).</summary>
    public static string Fit(string name) => name.Length <= MaxLength ? name : name[..MaxLength];
}

namespace MedSeg.Training.Weights;

/// <summary>
/// How checkpoint keys are rewritten before they are matched against a module's <c>state_dict</c> keys.
/// Applied in order: <see cref="StripPrefixes"/>, <see cref="RenamePrefixes"/>, <see cref="SelectPrefix"/>.
/// </summary>
public sealed record StateDictKeyMapping
{
    /// <summary>No rewriting.</summary>
    public static StateDictKeyMapping None { get; } = new();

    /// <summary>
    /// Typical for MONAI checkpoints: drops the DataParallel <c>module.</c> prefix and renames the
    /// self-supervised pretraining name <c>swin_vit.</c> to SwinUNETR's <c>swinViT.</c>.
    /// </summary>
    public static StateDictKeyMapping Monai { get; } = new()
    {
        StripPrefixes = ["module."],
        RenamePrefixes = new Dictionary<string, string> { ["swin_vit."] = "swinViT." },
    };

    /// <summary>Prefixes removed from a key when it starts with one (first match only), e.g. <c>module.</c>.</summary>
    public IReadOnlyList<string> StripPrefixes { get; init; } = [];

    /// <summary>Leading key parts replaced by another (first match only), e.g. <c>swin_vit.</c> → <c>swinViT.</c>.</summary>
    public IReadOnlyDictionary<string, string> RenamePrefixes { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// When set, only checkpoint keys starting with this prefix are loaded, and only module keys starting with it
    /// count as missing: e.g. <c>swinViT.</c> loads just the encoder and leaves the decoder as initialised.
    /// </summary>
    public string? SelectPrefix { get; init; }

    /// <summary>Returns the mapped key, or null when <see cref="SelectPrefix"/> excludes it.</summary>
    public string? Map(string key)
    {
        foreach (var prefix in StripPrefixes)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                key = key[prefix.Length..];
                break;
            }
        }
        foreach (var (from, to) in RenamePrefixes)
        {
            if (key.StartsWith(from, StringComparison.Ordinal))
            {
                key = to + key[from.Length..];
                break;
            }
        }
        return IsSelected(key) ? key : null;
    }

    /// <summary>Whether a (module-side) key lies inside <see cref="SelectPrefix"/>.</summary>
    public bool IsSelected(string key) => SelectPrefix is null || key.StartsWith(SelectPrefix, StringComparison.Ordinal);
}

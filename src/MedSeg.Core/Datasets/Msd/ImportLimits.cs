namespace MedSeg.Core.Datasets.Msd;

/// <summary>
/// Bounds an import stays within, so a small archive cannot fill the disk or the memory (decompression bombs): bytes
/// all entries expand to, bytes one entry expands to, expanded ÷ compressed bytes (checked while streaming, after
/// <see cref="RatioFloorBytes"/>), and voxels one NIfTI volume may declare (checked on the header, before any voxel
/// buffer is allocated; the reader never reads past what the header declares). <see cref="SettingPrefix"/> names where
/// the limits are set in messages (the portal's <c>Limits:</c> section, the CLI's options).
/// </summary>
public sealed record ImportLimits
{
    public long MaxExpandedBytes { get; init; } = 64L << 30;
    public long MaxEntryBytes { get; init; } = 8L << 30;
    public double MaxCompressionRatio { get; init; } = 200;
    public long MaxVoxels { get; init; } = 1L << 28;

    /// <summary>Expanded bytes below which the ratio is not judged (tar headers and tiny files compress far better than data).</summary>
    public long RatioFloorBytes { get; init; } = 16L << 20;

    /// <summary>How a setting is named in messages: "Limits:" + name in the portal, "--max-…" options in the CLI.</summary>
    public string SettingPrefix { get; init; } = "Limits:";

    public static ImportLimits Default { get; } = new();

    /// <summary>
    /// The name of a setting in messages: <c>Limits:MaxCompressionRatio</c>, or with the prefix "--" the CLI option
    /// <c>--max-compression-ratio</c>.
    /// </summary>
    public string Setting(string name) => SettingPrefix == "--" ? "--" + Kebab(name) : SettingPrefix + name;

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}

using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Benchmarks;

/// <summary>
/// Pretrained weights imported as files (e.g. MONAI's self-supervised Swin UNETR encoder converted to safetensors), a
/// benchmark row beside the lab's runs: <c>&lt;data root&gt;/weights/&lt;lab&gt;/NAME.safetensors</c>, copied there on the server.
/// Paths are relative to the data root ("weights/LAB/NAME.safetensors"); another lab's files do not exist for a user.
/// </summary>
public sealed class ImportedWeights(DataPaths paths)
{
    public const string Folder = "weights";
    public const string Extension = ".safetensors";

    /// <summary>Relative paths of the lab's weight files, by name.</summary>
    public IReadOnlyList<string> List(string labId)
    {
        var dir = Path.Combine(paths.DataRoot, Folder, labId);
        if (labId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || !Directory.Exists(dir)) return [];
        return [.. Directory.GetFiles(dir, "*" + Extension).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Select(f => $"{Folder}/{labId}/{f}")];
    }

    /// <summary>The absolute file of a relative path when it is one of the lab's weight files (no escaping its folder), else null.</summary>
    public string? Resolve(string? relative, string labId)
    {
        if (string.IsNullOrWhiteSpace(relative) || labId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
        var root = Path.GetFullPath(Path.Combine(paths.DataRoot, Folder, labId)) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(paths.DataRoot, relative));
        return full.StartsWith(root, StringComparison.Ordinal) && full.EndsWith(Extension, StringComparison.OrdinalIgnoreCase)
            && Path.GetDirectoryName(full) + Path.DirectorySeparatorChar == root && File.Exists(full) ? full : null;
    }
}

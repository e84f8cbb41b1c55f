namespace MedSeg.Training.Inference;

/// <summary>
/// Finds the self-describing model file (<see cref="Networks.ModelCheckpoint"/> safetensors) for a path that
/// is either that file or a run folder holding one.
/// </summary>
public static class CheckpointLocator
{
    /// <summary>Places looked at inside a folder, in order.</summary>
    public static readonly string[] FolderCandidates =
    [
        "model.safetensors",
        Path.Combine("checkpoints", "best", "model.safetensors"),
        Path.Combine("checkpoints", "model.safetensors"),
    ];

    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) return full;
        if (Directory.Exists(full))
        {
            foreach (var candidate in FolderCandidates)
            {
                var file = Path.Combine(full, candidate);
                if (File.Exists(file)) return file;
            }
            throw new FileNotFoundException(
                $"Run folder '{full}' holds no model checkpoint; looked for {string.Join(", ", FolderCandidates)}.", full);
        }
        throw new FileNotFoundException($"Checkpoint '{full}' does not exist.", full);
    }
}

namespace MedSeg.Training.Inference;

/// <summary>
/// Finds the self-describing model file (<see cref="Networks.ModelCheckpoint"/> safetensors) for a path that
/// is either that file or a run folder holding one: model.safetensors, checkpoints/best/, checkpoints/, else the
/// newest checkpoints/step-*/ (a run without validation has no best/; its evaluation used the last step).
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
            var checkpoints = Path.Combine(full, "checkpoints");
            // step-000000100 … are zero-padded, so ordinal order is step order.
            var newest = Directory.Exists(checkpoints)
                ? Directory.GetDirectories(checkpoints, "step-*").Order(StringComparer.Ordinal)
                    .Select(d => Path.Combine(d, "model.safetensors")).LastOrDefault(File.Exists)
                : null;
            if (newest is not null) return newest;
            throw new FileNotFoundException(
                $"Run folder '{full}' holds no model checkpoint; looked for {string.Join(", ", FolderCandidates)} and checkpoints/step-*/model.safetensors.", full);
        }
        throw new FileNotFoundException($"Checkpoint '{full}' does not exist.", full);
    }
}

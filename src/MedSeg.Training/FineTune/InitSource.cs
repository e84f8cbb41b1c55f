namespace MedSeg.Training.FineTune;

public enum InitKind { Scratch, Run, Safetensors }

/// <summary>
/// Where a fine-tuning run's starting weights come from: "scratch" (random init), "run:&lt;folder&gt;" (a MedSeg
/// training run: its best checkpoint, else its newest step checkpoint) or "safetensors:&lt;file&gt;" (e.g. MONAI
/// self-supervised Swin weights, keys mapped to MONAI names).
/// </summary>
public sealed record InitSource(InitKind Kind, string? Path)
{
    public static InitSource Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Equals("scratch", StringComparison.OrdinalIgnoreCase))
            return new InitSource(InitKind.Scratch, null);
        int colon = text.IndexOf(':');
        string kind = colon > 0 ? text[..colon] : "", path = colon > 0 ? text[(colon + 1)..] : "";
        if (path.Length > 0 && kind.Equals("run", StringComparison.OrdinalIgnoreCase)) return new InitSource(InitKind.Run, path);
        if (path.Length > 0 && kind.Equals("safetensors", StringComparison.OrdinalIgnoreCase)) return new InitSource(InitKind.Safetensors, path);
        throw new ArgumentException($"FineTuneOptions.Init (--init) must be 'scratch', 'run:<run folder>' or 'safetensors:<file>', got '{text}'.");
    }

    /// <summary>The safetensors file to load: the file itself, or the run's checkpoints/best/ (else newest step-*/) model.safetensors.</summary>
    public string ResolveFile()
    {
        switch (Kind)
        {
            case InitKind.Safetensors:
                var file = System.IO.Path.GetFullPath(Path!);
                if (!File.Exists(file)) throw new FileNotFoundException($"Init weights '{file}' (--init safetensors:) do not exist.", file);
                return file;
            case InitKind.Run:
                var run = System.IO.Path.GetFullPath(Path!);
                var checkpoints = System.IO.Path.Combine(run, "checkpoints");
                if (!Directory.Exists(checkpoints)) throw new DirectoryNotFoundException($"Init run '{run}' (--init run:) has no checkpoints/ folder.");
                var best = System.IO.Path.Combine(checkpoints, "best", Checkpoints.CheckpointStore.WeightsFile);
                if (File.Exists(best)) return best;
                // step-000000100 … are zero-padded, so ordinal order is step order. (Read-only: never clean another run's folder.)
                var newest = Directory.GetDirectories(checkpoints, "step-*").Order(StringComparer.Ordinal)
                    .Select(d => System.IO.Path.Combine(d, Checkpoints.CheckpointStore.WeightsFile))
                    .LastOrDefault(File.Exists);
                return newest ?? throw new FileNotFoundException(
                    $"Init run '{run}' (--init run:) holds no {Checkpoints.CheckpointStore.WeightsFile} under checkpoints/best or checkpoints/step-*.");
            default:
                throw new InvalidOperationException("A scratch init has no weights file.");
        }
    }

    public override string ToString() => Describe(p => p);

    /// <summary>The source with its path as <paramref name="showPath"/> writes it (the run log uses run-relative paths).</summary>
    public string Describe(Func<string, string> showPath) => Kind switch
    {
        InitKind.Scratch => "scratch",
        InitKind.Run => $"run:{showPath(Path!)}",
        _ => $"safetensors:{showPath(Path!)}",
    };
}

using System.Text.Json;
using MedSeg.Training.Runs;

namespace MedSeg.Training.Benchmarks;

/// <summary>Reads a run folder's status.json without creating anything (a <see cref="RunFolder"/> creates its folders).</summary>
public sealed class RunFolderReader(string root)
{
    public RunStatus? Status
    {
        get
        {
            var path = Path.Combine(root, "status.json");
            if (!File.Exists(path)) return null;
            try { return JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(path), JsonDefaults.Indented); }
            catch (JsonException) { return null; }
        }
    }

    /// <summary>"completed", "failed", "running", "interrupted", or null when the run never started.</summary>
    public string? State => Status?.State;
}

using System.Text.Json;
using MedSeg.Core.IO;

namespace MedSeg.Training.Runs;

/// <summary>
/// Layout of a run folder: config.json, status.json, log.txt, metrics.csv, metrics.jsonl, checkpoints/.
/// </summary>
public sealed class RunFolder
{
    private readonly object _logGate = new();

    public RunFolder(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(CheckpointsDir);
    }

    public string Root { get; }
    public string ConfigPath => Path.Combine(Root, "config.json");
    public string StatusPath => Path.Combine(Root, "status.json");
    public string LogPath => Path.Combine(Root, "log.txt");
    public string MetricsCsvPath => Path.Combine(Root, "metrics.csv");
    public string MetricsJsonlPath => Path.Combine(Root, "metrics.jsonl");
    public string CheckpointsDir => Path.Combine(Root, "checkpoints");

    public void WriteConfig(object config) => AtomicFile.WriteAllText(ConfigPath, JsonSerializer.Serialize(config, JsonDefaults.Indented));

    public void WriteStatus(RunStatus status) => AtomicFile.WriteAllText(StatusPath, JsonSerializer.Serialize(status, JsonDefaults.Indented));

    public RunStatus? ReadStatus() =>
        File.Exists(StatusPath) ? JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(StatusPath), JsonDefaults.Indented) : null;

    /// <summary>
    /// A path as the run's log shows it, with '/': relative to the run folder (e.g. <c>checkpoints/step-000000012</c>), or to
    /// its parent for a sibling run's file (<c>../12/checkpoints/best/model.safetensors</c>), since the log tail is shown to
    /// every lab member in the browser and must not reveal the server's directory layout. Any other path shows only its
    /// last folder and file name (<c>.../weights/monai.safetensors</c>).
    /// </summary>
    public string Display(string path) => Display(Root, path);

    /// <inheritdoc cref="Display(string)"/>
    public static string Display(string runRoot, string path)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runRoot));
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var relative = Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/');
        bool inside = !Path.IsPathRooted(relative) && relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal);
        bool sibling = relative.StartsWith("../", StringComparison.Ordinal) && !relative[3..].Split('/').Contains("..");
        if (inside || sibling) return relative;
        var parent = Path.GetFileName(Path.GetDirectoryName(full) ?? "");
        return string.IsNullOrEmpty(parent) ? Path.GetFileName(full) : $".../{parent}/{Path.GetFileName(full)}";
    }

    public void Log(string message)
    {
        lock (_logGate) File.AppendAllText(LogPath, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {message}{Environment.NewLine}");
    }
}

using System.Text.Json;

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

    public void Log(string message)
    {
        lock (_logGate) File.AppendAllText(LogPath, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {message}{Environment.NewLine}");
    }
}

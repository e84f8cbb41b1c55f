using System.Globalization;
using System.Text.Json;
using MedSeg.Training.Progress;

namespace MedSeg.Training.Runs;

/// <summary>
/// Appends one row per step to metrics.csv and metrics.jsonl. On resume, rows after the checkpoint's
/// step are dropped first, so a resumed run has no duplicate steps.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private const string CsvHeader = "step,epoch,loss,lr,samples_per_s,data_wait_fraction,memory_bytes,val_mean_dice,checkpoint";
    private readonly StreamWriter _csv;
    private readonly StreamWriter _jsonl;

    public MetricsLog(RunFolder run, long keepUpToStep)
    {
        TruncateAfter(run.MetricsCsvPath, keepUpToStep, header: true, StepOfCsv);
        TruncateAfter(run.MetricsJsonlPath, keepUpToStep, header: false, StepOfJson);
        bool newCsv = !File.Exists(run.MetricsCsvPath) || new FileInfo(run.MetricsCsvPath).Length == 0;
        _csv = new StreamWriter(new FileStream(run.MetricsCsvPath, FileMode.Append, FileAccess.Write, FileShare.Read));
        _jsonl = new StreamWriter(new FileStream(run.MetricsJsonlPath, FileMode.Append, FileAccess.Write, FileShare.Read));
        if (newCsv) _csv.WriteLine(CsvHeader);
    }

    public void Append(TrainingProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        _csv.WriteLine(string.Join(",",
            p.Step.ToString(c), p.Epoch.ToString("R", c), p.Loss.ToString("R", c), p.LearningRate.ToString("R", c),
            p.SamplesPerSecond.ToString("F3", c), p.DataWaitFraction.ToString("F4", c), p.MemoryBytes.ToString(c),
            p.ValidationMeanDice?.ToString("R", c) ?? "", p.CheckpointPath is null ? "" : $"\"{p.CheckpointPath}\""));
        _jsonl.WriteLine(JsonSerializer.Serialize(p, JsonDefaults.Compact));
        _csv.Flush();
        _jsonl.Flush();
    }

    /// <summary>
    /// The steps recorded in a run folder's metrics.jsonl, in file order; unreadable lines (a line cut by a crash) are skipped.
    /// Lets a host rebuild step history its own store missed, e.g. rows not yet flushed when its process was killed.
    /// </summary>
    public static IEnumerable<TrainingProgress> ReadSteps(string metricsJsonlPath)
    {
        if (!File.Exists(metricsJsonlPath)) yield break;
        foreach (var line in File.ReadLines(metricsJsonlPath))
        {
            TrainingProgress? p = null;
            try { p = JsonSerializer.Deserialize<TrainingProgress>(line, JsonDefaults.Compact); }
            catch (JsonException) { }
            if (p is not null) yield return p;
        }
    }

    public void Dispose()
    {
        _csv.Dispose();
        _jsonl.Dispose();
    }

    private static void TruncateAfter(string path, long keepUpToStep, bool header, Func<string, long?> stepOf)
    {
        if (!File.Exists(path)) return;
        var lines = File.ReadAllLines(path);
        var kept = lines.Where((l, i) => (header && i == 0) || (stepOf(l) is long s && s <= keepUpToStep)).ToArray();
        if (kept.Length == lines.Length) return;
        AtomicFile.WriteAllText(path, kept.Length == 0 ? "" : string.Join(Environment.NewLine, kept) + Environment.NewLine);
    }

    private static long? StepOfCsv(string line)
    {
        var comma = line.IndexOf(',');
        return comma > 0 && long.TryParse(line.AsSpan(0, comma), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
    }

    private static long? StepOfJson(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("step", out var s) ? s.GetInt64() : null;
        }
        catch (JsonException) { return null; }
    }
}

using System.Globalization;
using System.Text.Json;
using MedSeg.Training.Progress;
using MedSeg.Core.IO;

namespace MedSeg.Training.Runs;

/// <summary>
/// Appends one row per step to metrics.csv and metrics.jsonl. On resume, rows after the checkpoint's
/// step are dropped first, so a resumed run has no duplicate steps. A multi-term loss adds one CSV column per term
/// (named as the method names it, e.g. loss_rec) after the fixed columns; a new file takes them from the first row.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private const string CsvHeader = "step,epoch,loss,lr,samples_per_s,data_wait_fraction,memory_bytes,val_mean_dice,checkpoint";
    private readonly StreamWriter _csv;
    private readonly StreamWriter _jsonl;
    /// <summary>The term columns of the CSV; null until the header is written (a new file waits for the first row).</summary>
    private string[]? _termColumns;

    public MetricsLog(RunFolder run, long keepUpToStep)
    {
        TruncateAfter(run.MetricsCsvPath, keepUpToStep, header: true, StepOfCsv);
        TruncateAfter(run.MetricsJsonlPath, keepUpToStep, header: false, StepOfJson);
        // A file holding only a header (no step kept) starts afresh, so its term columns come from the first new row.
        if (File.Exists(run.MetricsCsvPath) && File.ReadLines(run.MetricsCsvPath).Skip(1).All(string.IsNullOrWhiteSpace))
            File.WriteAllText(run.MetricsCsvPath, "");
        bool newCsv = new FileInfo(run.MetricsCsvPath) is not { Exists: true, Length: > 0 };
        if (!newCsv) _termColumns = TermColumnsOf(File.ReadLines(run.MetricsCsvPath).First());
        _csv = new StreamWriter(new FileStream(run.MetricsCsvPath, FileMode.Append, FileAccess.Write, FileShare.Read));
        _jsonl = new StreamWriter(new FileStream(run.MetricsJsonlPath, FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    public void Append(TrainingProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        if (_termColumns is null)
        {
            _termColumns = p.Terms?.Keys.ToArray() ?? [];
            foreach (var name in _termColumns)
            {
                if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
                    throw new ArgumentException($"Loss term name '{name}' must be letters, digits and '_' (it becomes a metrics.csv column).");
            }
            _csv.WriteLine(string.Join(",", [CsvHeader, .. _termColumns]));
        }
        var terms = _termColumns.Select(t => p.Terms is not null && p.Terms.TryGetValue(t, out var v) ? v.ToString("R", c) : "");
        string[] row =
        [
            p.Step.ToString(c), p.Epoch.ToString("R", c), p.Loss.ToString("R", c), p.LearningRate.ToString("R", c),
            p.SamplesPerSecond.ToString("F3", c), p.DataWaitFraction.ToString("F4", c), p.MemoryBytes.ToString(c),
            p.ValidationMeanDice?.ToString("R", c) ?? "", p.CheckpointPath is null ? "" : $"\"{p.CheckpointPath}\"", .. terms,
        ];
        _csv.WriteLine(string.Join(",", row));
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
        if (_termColumns is null) _csv.WriteLine(CsvHeader); // no step ran: the header alone, as a run without steps always had
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

    private static string[] TermColumnsOf(string header)
    {
        var columns = header.Split(',');
        int fixedColumns = CsvHeader.Split(',').Length;
        return columns.Length > fixedColumns ? columns[fixedColumns..] : [];
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

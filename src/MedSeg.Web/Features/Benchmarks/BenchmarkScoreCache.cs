using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MedSeg.Core.Benchmarks;
using MedSeg.Training.Benchmarks;
using MedSeg.Training.FineTune;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Benchmarks;

/// <summary>
/// The scores of completed benchmark cell runs (every metric, with per-case values), read from each run's
/// evaluation.json once and then kept in memory and in one append-only file under the data root
/// (<c>benchmarks/cell-scores.tsv</c>), so a table of a thousand cells neither parses a thousand JSON files per request
/// nor after a restart. A completed run's evaluation never changes; entries are keyed by run id and finish time, so a
/// run row with the same id from another database is not mistaken for it. A block is written in one append ending in
/// an end line: a torn block (crash mid-append) is ignored and read again from evaluation.json.
/// </summary>
public sealed class BenchmarkScoreCache(DataPaths paths)
{
    public const string FileName = "cell-scores.tsv";
    private const string End = ".";

    /// <summary>Every metric a cell can have (per-organ Dice included).</summary>
    private static readonly IReadOnlyList<string> AllMetrics = BenchmarkMetric.Known;

    private static readonly BenchmarkCellKey Unkeyed = new("", "", LabelBudget.All, 0);

    private readonly ConcurrentDictionary<(int, long), IReadOnlyList<BenchmarkScore>> _byRun = new();
    private readonly ConcurrentDictionary<int, IReadOnlyDictionary<string, string>> _configs = new();
    private readonly Lock _gate = new();
    private bool _loaded;

    public string FilePath { get; } = Path.Combine(paths.DataRoot, "benchmarks", FileName);

    /// <summary>
    /// The scores of each run (by id) that has a readable evaluation.json, with placeholder keys (re-key with
    /// <see cref="Keyed"/>); runs read from their folder now are appended to the file in one write.
    /// </summary>
    public IReadOnlyDictionary<int, IReadOnlyList<BenchmarkScore>> Get(IReadOnlyCollection<(int RunId, DateTime? FinishedAt, string Folder)> runs)
    {
        Load();
        var result = new Dictionary<int, IReadOnlyList<BenchmarkScore>>(runs.Count);
        var fresh = new List<((int, long) Key, IReadOnlyList<BenchmarkScore> Scores)>();
        foreach (var (id, finished, folder) in runs)
        {
            var key = (id, finished?.Ticks ?? 0);
            if (_byRun.TryGetValue(key, out var cached)) { result[id] = cached; continue; }
            if (!File.Exists(Path.Combine(folder, FineTuneEvaluation.FileName))) continue;
            FineTuneEvaluation evaluation;
            try { evaluation = FineTuneEvaluation.Read(folder); }
            catch (InvalidDataException) { continue; }
            var scores = BenchmarkResults.ScoresOf("", Unkeyed, evaluation, AllMetrics).ToList();
            _byRun[key] = scores;
            result[id] = scores;
            fresh.Add((key, scores));
        }
        if (fresh.Count > 0) Append(fresh);
        return result;
    }

    /// <summary>
    /// A cell run's config flattened for the report's diff (<see cref="ConfigDiff.Flatten"/>), kept in memory: a queued
    /// cell's config never changes, so the HTML report of a thousand cells flattens each once per process.
    /// </summary>
    public IReadOnlyDictionary<string, string> Config(int runId, string json) => _configs.GetOrAdd(runId, _ => ConfigDiff.Flatten(json));

    public bool HasConfig(int runId) => _configs.ContainsKey(runId);

    /// <summary>A cached score under its cell's method label and key.</summary>
    public static BenchmarkScore Keyed(BenchmarkScore s, string method, BenchmarkCellKey key) =>
        s with { Method = method, Dataset = key.Dataset, Budget = key.Budget, Seed = key.Seed };

    private void Load()
    {
        lock (_gate)
        {
            if (_loaded) return;
            _loaded = true;
            if (!File.Exists(FilePath)) return;
            foreach (var (key, scores) in Parse(File.ReadAllLines(FilePath))) _byRun[key] = scores;
        }
    }

    private void Append(List<((int, long) Key, IReadOnlyList<BenchmarkScore> Scores)> fresh)
    {
        var sb = new StringBuilder();
        foreach (var (key, scores) in fresh)
        {
            if (!Writable(scores)) continue; // a case id or metric with a tab or newline: read from evaluation.json each start
            var head = string.Create(CultureInfo.InvariantCulture, $"{key.Item1}\t{key.Item2}\t");
            foreach (var s in scores)
            {
                sb.Append(head).Append(s.Metric).Append('\t').Append(BenchmarkCsv.Number(s.Value));
                foreach (var (c, v) in s.Cases ?? new Dictionary<string, double>()) sb.Append('\t').Append(c).Append('=').Append(BenchmarkCsv.Number(v));
                sb.Append('\n');
            }
            sb.Append(head).Append(End).Append('\n');
        }
        lock (_gate)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
                File.AppendAllText(FilePath, sb.ToString());
            }
            catch (IOException) { } // the cache only saves time; the scores are in memory and in evaluation.json
            catch (UnauthorizedAccessException) { }
        }
    }

    private static bool Writable(IReadOnlyList<BenchmarkScore> scores) =>
        scores.All(s => Plain(s.Metric) && (s.Cases ?? new Dictionary<string, double>()).Keys.All(Plain));

    private static bool Plain(string s) => s.Length > 0 && s.IndexOfAny(['\t', '\n', '\r']) < 0 && s != End;

    /// <summary>Complete blocks of the file (lines up to an end line); anything malformed drops its block.</summary>
    internal static IEnumerable<((int, long) Key, IReadOnlyList<BenchmarkScore> Scores)> Parse(IEnumerable<string> lines)
    {
        (int, long)? current = null;
        var block = new List<BenchmarkScore>();
        bool broken = false;
        foreach (var line in lines)
        {
            var f = line.Split('\t');
            if (f.Length < 3 || !int.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int id)
                || !long.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long ticks))
            {
                current = null; block = []; broken = false;
                continue;
            }
            if (current != (id, ticks)) { current = (id, ticks); block = []; broken = false; }
            if (f[2] == End)
            {
                if (!broken) yield return ((id, ticks), block);
                current = null; block = []; broken = false;
                continue;
            }
            if (f.Length < 4 || !TryNumber(f[3], out double value)) { broken = true; continue; }
            var cases = new Dictionary<string, double>(f.Length - 4);
            for (int i = 4; i < f.Length; i++)
            {
                int eq = f[i].LastIndexOf('=');
                if (eq <= 0 || !TryNumber(f[i][(eq + 1)..], out double v)) { broken = true; break; }
                cases[f[i][..eq]] = v;
            }
            block.Add(new BenchmarkScore("", "", LabelBudget.All, 0, f[2], value, cases));
        }
    }

    private static bool TryNumber(string text, out double value)
    {
        switch (text)
        {
            case "NaN": value = double.NaN; return true;
            case "inf": value = double.PositiveInfinity; return true;
            case "-inf": value = double.NegativeInfinity; return true;
            default: return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}

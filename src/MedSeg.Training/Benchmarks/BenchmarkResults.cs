using MedSeg.Training.Runs;
using MedSeg.Core.Benchmarks;
using MedSeg.Training.FineTune;

namespace MedSeg.Training.Benchmarks;

/// <summary>The state of one cell of a benchmark folder.</summary>
public enum CellState { Pending, Running, Done, Failed }

/// <summary>A cell as found in the folder: key, method label, state and (when done) its evaluation.</summary>
public sealed record BenchmarkCellResult(BenchmarkCellKey Key, string MethodLabel, CellState State, string Folder, FineTuneEvaluation? Evaluation);

/// <summary>
/// The results of a benchmark folder (or of the portal's cell runs): every planned cell with its state, and the scores
/// of the finished ones for the table (<see cref="Scores"/>) — the same numbers the CLI and the portal show.
/// </summary>
public sealed record BenchmarkResults(BenchmarkManifest Manifest, IReadOnlyList<BenchmarkCellResult> Cells)
{
    public IReadOnlyList<string> MethodOrder => Manifest.Methods.Select(m => m.Label).ToList();

    public static BenchmarkResults Load(string folder)
    {
        var root = Path.GetFullPath(folder);
        var manifest = BenchmarkManifest.TryRead(root)
            ?? throw new ArgumentException($"'{root}' holds no {BenchmarkManifest.FileName}; run `medseg benchmark run --out {folder}` first.");
        var labels = manifest.Methods.ToDictionary(m => m.Key, m => m.Label);
        var cells = new List<BenchmarkCellResult>();
        foreach (var m in manifest.Methods)
            foreach (var d in manifest.Protocol.Datasets)
                foreach (var b in manifest.Protocol.Budgets)
                    foreach (var s in manifest.Protocol.Seeds)
                    {
                        var key = new BenchmarkCellKey(m.Key, BenchmarkProtocol.DatasetName(d), b, s);
                        var dir = Path.Combine(root, key.RelativeFolder);
                        var state = new RunFolderReader(dir).State;
                        bool done = BenchmarkRunner.IsFinished(dir);
                        cells.Add(new BenchmarkCellResult(key, labels[m.Key],
                            done ? CellState.Done : state is RunStatus.Failed ? CellState.Failed : state is RunStatus.Running ? CellState.Running : CellState.Pending,
                            dir, done ? FineTuneEvaluation.Read(dir) : null));
                    }
        return new BenchmarkResults(manifest, cells);
    }

    /// <summary>The finished cells' scores, then the one-shot kNN column of every run-folder method that has kNN reports on the protocol's datasets.</summary>
    public IReadOnlyList<BenchmarkScore> Scores => Cells.Where(c => c.Evaluation is not null)
        .SelectMany(c => ScoresOf(c.MethodLabel, c.Key, c.Evaluation!, Manifest.Protocol.Metrics)).Concat(KnnScores()).ToList();

    private IEnumerable<BenchmarkScore> KnnScores()
    {
        var datasets = Manifest.Protocol.Datasets.Select(BenchmarkProtocol.DatasetName).ToHashSet();
        foreach (var m in Manifest.Methods.Where(m => m.Init.StartsWith("run:", StringComparison.Ordinal)))
            foreach (var s in KnnBenchmarkScores.Of(m.Label, m.Init["run:".Length..], datasets, Manifest.Protocol.Metrics))
                yield return s;
    }

    /// <summary>The metrics of one evaluation.json as scores (with per-case values for the paired test).</summary>
    public static IEnumerable<BenchmarkScore> ScoresOf(string method, BenchmarkCellKey key, FineTuneEvaluation e, IReadOnlyList<string> metrics)
    {
        BenchmarkScore Score(string metric, double value, Func<CaseEvaluation, double> perCase) =>
            new(method, key.Dataset, key.Budget, key.Seed, metric, value, e.Cases.ToDictionary(c => c.Case, perCase));
        foreach (var metric in metrics)
        {
            switch (metric)
            {
                case BenchmarkMetric.Dice: yield return Score(metric, e.MeanDice, c => c.MeanDice); break;
                case BenchmarkMetric.Assd: yield return Score(metric, e.MeanAssd, c => c.MeanAssd); break;
                case BenchmarkMetric.Hd95: yield return Score(metric, e.MeanHd95, c => c.MeanHd95); break;
                case BenchmarkMetric.DicePerClass:
                    foreach (var cls in e.MeanPerClass)
                        yield return Score(BenchmarkMetric.PerClass(cls.Name), cls.Dice,
                            c => c.Classes.FirstOrDefault(x => x.Label == cls.Label)?.Dice ?? double.NaN);
                    break;
            }
        }
    }

    /// <summary>Whether a protocol asking for <paramref name="metrics"/> reports <paramref name="metric"/> (per-organ Dice under dice_per_class).</summary>
    public static bool Reports(IReadOnlyList<string> metrics, string metric) =>
        metrics.Contains(metric) || (metric.StartsWith(BenchmarkMetric.Dice + ":", StringComparison.Ordinal) && metrics.Contains(BenchmarkMetric.DicePerClass));

    /// <summary>Metric names present in the scores, protocol order first, per-organ Dice after.</summary>
    public IReadOnlyList<string> MetricNames => Scores.Select(s => s.Metric).Distinct()
        .OrderBy(m => Manifest.Protocol.Metrics.IndexOf(m) is var i && i >= 0 ? i : int.MaxValue).ToList();

    /// <summary>The cells' config.json files, flattened, for the report's config diff.</summary>
    public IReadOnlyList<ReportRun> Configs() => Cells.Where(c => File.Exists(Path.Combine(c.Folder, "config.json")))
        .Select(c => new ReportRun(c.Key.ToString(), ConfigDiff.Flatten(File.ReadAllText(Path.Combine(c.Folder, "config.json"))))).ToList();
}

using MedSeg.Core.Benchmarks;
using MedSeg.Training.Evaluation.OneShot;

namespace MedSeg.Training.Benchmarks;

/// <summary>
/// The one-shot kNN column of a benchmark table: a pretraining run's kNN reports (<see cref="OneShotKnnStore"/>, paper
/// protocol) on one of the protocol's datasets, as scores in the column "knn-N" (N atlases; the atlas seed as the seed).
/// Mean foreground Dice with per-target values (the paired test's cases) and Dice per organ; kNN gives no surface
/// distances. The same for the CLI (run folders of the benchmark's methods) and the portal (the lab's runs).
/// </summary>
public static class KnnBenchmarkScores
{
    /// <param name="datasets">The protocol's dataset names (folder names): reports on other datasets are left out.</param>
    public static IReadOnlyList<BenchmarkScore> Of(string method, string runDir, IReadOnlyCollection<string> datasets, IReadOnlyList<string> metrics)
    {
        var scores = new List<BenchmarkScore>();
        foreach (var report in OneShotKnnStore.List(runDir).Where(r => r.Options.Protocol == KnnProtocol.Paper))
        {
            var dataset = DatasetName(report.Options.Dataset);
            if (!datasets.Contains(dataset)) continue;
            var budget = LabelBudget.Knn(report.Options.Atlases);
            if (metrics.Contains(BenchmarkMetric.Dice) && report.MeanDice is double mean)
                scores.Add(new BenchmarkScore(method, dataset, budget, report.Options.Seed, BenchmarkMetric.Dice, mean,
                    report.Targets.Where(t => t.MeanDice.HasValue).ToDictionary(t => t.Case, t => t.MeanDice!.Value)));
            if (!metrics.Contains(BenchmarkMetric.DicePerClass)) continue;
            foreach (var (organ, dice) in report.DicePerOrgan)
                if (dice is double d)
                    scores.Add(new BenchmarkScore(method, dataset, budget, report.Options.Seed, BenchmarkMetric.PerClass(organ), d,
                        report.Targets.Where(t => t.Dice.GetValueOrDefault(organ).HasValue).ToDictionary(t => t.Case, t => t.Dice[organ]!.Value)));
        }
        // A later evaluation with the same settings replaced the earlier file; keep one score per column, seed and metric.
        return scores.GroupBy(s => (s.Dataset, s.Budget, s.Seed, s.Metric)).Select(g => g.First()).ToList();
    }

    /// <summary>The folder name a protocol and a kNN report both name a dataset by.</summary>
    public static string DatasetName(string folder) => BenchmarkProtocol.DatasetName(Path.GetFullPath(folder));
}

using MedSeg.Core.Benchmarks;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Training.FineTune;

namespace MedSeg.Training.Benchmarks;

/// <summary>A planned cell: its key and the complete fine-tune options of its run.</summary>
public sealed record PlannedCell(BenchmarkCellKey Key, FineTuneOptions Options);

/// <summary>
/// Every cell of a protocol for a set of methods (methods × datasets × budgets × seeds), each with the fine-tune options
/// of its run: the protocol's recipe with the dataset, run folder, init, seed and the budget's training cases drawn by
/// seed (<see cref="LabelBudget.Draw"/>) — the same cases for every method, so results pair across methods. Scratch
/// never loads an encoder. The CLI runs the cells in folders; the portal queues each as a fine-tune run.
/// </summary>
public static class BenchmarkPlan
{
    /// <param name="folderOf">The run folder of a cell (CLI: under the benchmark folder; portal: the run's own folder).</param>
    public static IReadOnlyList<PlannedCell> Cells(BenchmarkProtocol protocol, IReadOnlyList<BenchmarkMethod> methods, Func<BenchmarkCellKey, string> folderOf)
    {
        protocol.Validate();
        if (methods.Count is 0 or > BenchmarkMethod.MaxMethods)
            throw new ArgumentException($"--pretrained must name 1 to {BenchmarkMethod.MaxMethods} methods, got {methods.Count}.");
        if (methods.GroupBy(m => m.Key).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"--pretrained names '{twice.Key}' twice.");
        var trainIds = protocol.Datasets.ToDictionary(d => d, TrainIds);
        var problems = new List<string>();
        foreach (var (dataset, ids) in trainIds)
            foreach (var b in protocol.Budgets.Where(b => b.Cases > ids.Count))
                problems.Add($"Protocol.budgets: {b} labelled cases is more than the {ids.Count} training cases of '{dataset}'.");
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));

        var cells = new List<PlannedCell>();
        foreach (var method in methods)
            foreach (var dataset in protocol.Datasets)
                foreach (var budget in protocol.Budgets)
                    foreach (var seed in protocol.Seeds)
                    {
                        var key = new BenchmarkCellKey(method.Key, BenchmarkProtocol.DatasetName(dataset), budget, seed);
                        var o = FineTuneOptions.FromJsonUnvalidated(protocol.FineTune.ToJson());
                        o.DatasetDir = dataset;
                        o.OutputDir = folderOf(key);
                        o.Init = method.Init;
                        o.EncoderOnly = !method.IsScratch && o.EncoderOnly;
                        o.Seed = seed;
                        o.TrainCases = budget.IsAll ? null : budget.Draw(trainIds[dataset], seed).ToList();
                        o.Resume = false;
                        cells.Add(new PlannedCell(key, o.Validate()));
                    }
        return cells;
    }

    /// <summary>split.json's train list of a dataset folder, naming the folder when it is missing or unreadable.</summary>
    public static IReadOnlyList<string> TrainIds(string datasetDir)
    {
        var path = Path.Combine(datasetDir, DatasetSplit.FileName);
        if (!File.Exists(path))
            throw new ArgumentException($"Protocol.datasets: '{datasetDir}' has no {DatasetSplit.FileName}; import it with `medseg import msd SOURCE --out DIR --val F --test F`.");
        try { return DatasetSplit.FromJson(File.ReadAllText(path)).Train; }
        catch (System.Text.Json.JsonException e) { throw new ArgumentException($"Protocol.datasets: '{path}' is not a valid split: {e.Message}", e); }
    }
}

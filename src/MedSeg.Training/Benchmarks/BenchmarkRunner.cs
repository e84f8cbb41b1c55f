using MedSeg.Training.Fdsl;
using MedSeg.Training.FineTune;
using MedSeg.Training.Runs;

namespace MedSeg.Training.Benchmarks;

/// <summary>What a `benchmark run` did: cells run now, cells already finished (skipped), failed cells with their error.</summary>
public sealed record BenchmarkRunSummary(int Total, int Ran, int Skipped, IReadOnlyList<(BenchmarkCellKey Cell, string Error)> Failed, bool Cancelled);

/// <summary>
/// Runs a protocol into a benchmark folder (benchmark.json + cells/…/seed-S/ fine-tune run folders), one cell after the
/// other. A finished cell (status.json "completed" with evaluation.json) is never run again, so adding a method, dataset,
/// budget or seed and running again (<c>resume</c>) runs only the new cells; an interrupted or failed cell continues from its
/// newest checkpoint. Everything is checked before the first file is written.
/// </summary>
/// <param name="onlySeeds">Run only the cells of these seeds now (a staged start: e.g. two seeds first, the third later); null = all.</param>
public sealed class BenchmarkRunner(string folder, BenchmarkProtocol protocol, IReadOnlyList<BenchmarkMethod> methods, bool resume,
    IReadOnlyCollection<long>? onlySeeds = null)
{
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <param name="runCell">Trains one cell (default: <see cref="FineTuneTrainer"/>); tests and progress bars hook in here.</param>
    public BenchmarkRunSummary Run(Action<string>? log = null, Func<FineTuneOptions, CancellationToken, FineTuneResult>? runCell = null,
        CancellationToken ct = default)
    {
        log ??= _ => { };
        runCell ??= (o, token) => new FineTuneTrainer(o).Run(null, token);
        var manifest = Prepare();
        if (onlySeeds?.Where(s => !protocol.Seeds.Contains(s)).ToList() is { Count: > 0 } unknown)
            throw new ArgumentException($"--seeds {string.Join(",", unknown)}: not among the protocol's seeds ({string.Join(",", protocol.Seeds)}).");
        var cells = BenchmarkPlan.Cells(manifest.Protocol, manifest.Methods, k => Path.Combine(Folder, k.RelativeFolder))
            .Where(c => onlySeeds is null || onlySeeds.Contains(c.Key.Seed)).ToList();
        manifest.Write(Folder);

        int ran = 0, skipped = 0;
        var failed = new List<(BenchmarkCellKey, string)>();
        foreach (var cell in cells)
        {
            if (ct.IsCancellationRequested) return new BenchmarkRunSummary(cells.Count, ran, skipped, failed, true);
            if (IsFinished(cell.Options.OutputDir)) { skipped++; continue; }
            var o = cell.Options;
            o.Resume = Directory.Exists(Path.Combine(o.OutputDir, "checkpoints"))
                && Directory.EnumerateFileSystemEntries(Path.Combine(o.OutputDir, "checkpoints")).Any();
            log($"cell {ran + skipped + failed.Count + 1}/{cells.Count}: {cell.Key}{(o.Resume ? " (resuming)" : "")}");
            try
            {
                var result = runCell(o, ct);
                if (result.Training.State == RunStatus.Completed) ran++;
                else if (ct.IsCancellationRequested) return new BenchmarkRunSummary(cells.Count, ran, skipped, failed, true);
                else failed.Add((cell.Key, $"ended {result.Training.State}"));
            }
            catch (Exception e) when (e is TrainingException or ArgumentException or IOException or InvalidDataException)
            {
                failed.Add((cell.Key, e.Message));
                log($"  failed: {e.Message}");
            }
        }
        return new BenchmarkRunSummary(cells.Count, ran, skipped, failed, false);
    }

    /// <summary>A cell's run folder holds a completed run with its evaluation.</summary>
    public static bool IsFinished(string cellFolder) =>
        File.Exists(Path.Combine(cellFolder, FineTuneEvaluation.FileName))
        && File.Exists(Path.Combine(cellFolder, "status.json"))
        && new RunFolderReader(cellFolder).State == RunStatus.Completed;

    private BenchmarkManifest Prepare()
    {
        protocol.Validate();
        var existing = BenchmarkManifest.TryRead(Folder);
        if (existing is not null && !resume)
            throw new ArgumentException($"'{Folder}' already holds a benchmark ({BenchmarkManifest.FileName}); pass --resume to run its missing cells (and any added seeds, budgets or methods).");
        return existing?.Merge(protocol, methods, Folder) ?? new BenchmarkManifest(protocol, methods);
    }
}

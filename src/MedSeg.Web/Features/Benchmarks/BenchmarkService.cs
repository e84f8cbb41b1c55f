using System.Security.Cryptography;
using System.Text;
using MedSeg.Core.Benchmarks;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.Benchmarks;
using MedSeg.Training.FineTune;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using CellRow = MedSeg.Data.Entities.BenchmarkCell;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Benchmarks;

/// <summary>What "run protocol" did: cells queued now and cells that already existed (never queued twice).</summary>
public sealed record BenchmarkLaunch(int Queued, int Existing);

/// <summary>
/// Benchmark protocols in the portal: stored per lab and versioned (a save adds the next version), run on a set of
/// pretraining runs (any method) plus scratch by queueing every missing cell as a fine-tune run in the normal run queue
/// (so cells pause, resume after a restart and show on the runs pages like every run), and read back as a grid and
/// as scores for the table. Dataset paths are "downstream/NAME" under the data root. Lab rules: a lab's protocols and
/// their cells exist only for its members (another lab's id is not found: <see cref="KeyNotFoundException"/>); members
/// and PIs save and run them, viewers only read (<see cref="UnauthorizedAccessException"/>). Bad input throws
/// <see cref="ArgumentException"/> naming field and value.
/// </summary>
public sealed class BenchmarkService(IDbContextFactory<MedSegDbContext> dbFactory, TrainingRunService runs, DataPaths paths,
    DownstreamDatasets datasets, ImportedWeights importedWeights, BenchmarkScoreCache scoreCache, IOptions<TrainingOptions> options)
{
    /// <summary>Cells one "run protocol" may queue.</summary>
    public const int MaxCellsPerLaunch = 10_000;
    public const string Tag = "benchmark";

    public async Task<BenchmarkProtocolEntry?> FindAsync(PortalUser user, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.BenchmarkProtocols.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.LabId == user.LabId, ct);
    }

    /// <summary>Every problem of a protocol JSON for this portal (protocol rules, the lab's datasets under downstream/, budgets vs train sizes, step limit).</summary>
    public IReadOnlyList<string> Problems(PortalUser user, string json) => Parse(json, user.LabId).Problems;

    /// <summary>Saves the protocol as the next version of its name (version 1 for a new name).</summary>
    public async Task<BenchmarkProtocolEntry> SaveAsync(PortalUser user, string json, CancellationToken ct = default)
    {
        RequireWriter(user, "save protocols");
        var (protocol, problems) = Parse(json, user.LabId);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.BenchmarkProtocols.Where(p => p.LabId == user.LabId && p.Name == protocol!.Name).MaxAsync(p => (int?)p.Version, ct) ?? 0;
        protocol!.Version = latest + 1;
        var entry = new BenchmarkProtocolEntry
        {
            LabId = user.LabId, Name = protocol.Name, Version = protocol.Version, Json = protocol.ToJson(),
            RecipeHash = RecipeHash(protocol), OwnerId = user.Id, CreatedAt = DateTime.UtcNow,
        };
        db.BenchmarkProtocols.Add(entry);
        await db.SaveChangesAsync(ct);
        return entry;
    }

    /// <summary>
    /// Queues every cell of the protocol for scratch (when <paramref name="scratch"/>), the completed pretraining runs
    /// <paramref name="runIds"/> (any method) and the lab's imported weight files <paramref name="weights"/>
    /// ("weights/LAB/NAME.safetensors") that the lab has not queued yet (same protocol name and recipe, any version);
    /// <paramref name="seeds"/> runs only those of the protocol's seeds now (null: all).
    /// </summary>
    public async Task<BenchmarkLaunch> RunAsync(PortalUser user, int protocolId, IReadOnlyList<int> runIds, bool scratch,
        IReadOnlyList<long>? seeds = null, IReadOnlyList<string>? weights = null, CancellationToken ct = default)
    {
        var entry = await FindAsync(user, protocolId, ct) ?? throw new KeyNotFoundException($"Protocol: no protocol {protocolId} in your lab.");
        RequireWriter(user, "run protocols");
        var (protocol, problems) = Parse(entry.Json, user.LabId);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        var methods = new List<BenchmarkMethod>();
        if (scratch) methods.Add(new BenchmarkMethod(BenchmarkMethod.Scratch, BenchmarkMethod.Scratch, BenchmarkMethod.Scratch));
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var ids = runIds.Distinct().ToList();
            var found = await db.TrainingRuns.AsNoTracking().Where(r => ids.Contains(r.Id) && r.LabId == user.LabId).ToListAsync(ct);
            foreach (var id in ids)
            {
                var run = found.FirstOrDefault(r => r.Id == id);
                if (run is null) problems.Add($"Runs: no run {id} in your lab.");
                else if (run.Method == TrainingMethods.FineTune) problems.Add($"Runs: run {id} '{run.Name}' is a fine-tuning run, not pretraining.");
                else if (run.Status != TrainingRunStatus.Completed) problems.Add($"Runs: run {id} '{run.Name}' is {run.Status}; only completed runs can be benchmarked.");
                else methods.Add(new BenchmarkMethod(RunKey(run.Id), $"{run.Name} ({run.Method})", $"run:{run.RunFolder.Replace('\\', '/')}"));
            }
        }
        foreach (var file in (weights ?? []).Distinct())
        {
            if (importedWeights.Resolve(file, user.LabId) is null)
                problems.Add($"Weights: '{file}' is not a weights file of your lab ({ImportedWeights.Folder}/{user.LabId}/NAME{ImportedWeights.Extension}).");
            else
            {
                var name = Path.GetFileNameWithoutExtension(file);
                methods.Add(new BenchmarkMethod("st-" + BenchmarkMethod.Safe(name), $"{name} (safetensors)", "safetensors:" + file));
            }
        }
        if (seeds?.Where(s => !protocol!.Seeds.Contains(s)).ToList() is { Count: > 0 } unknown)
            problems.Add($"Seeds: {string.Join(", ", unknown)} not among the protocol's seeds ({string.Join(", ", protocol!.Seeds)}).");
        else if (seeds is { Count: 0 }) problems.Add("Seeds: choose at least one of the protocol's seeds.");
        if (methods.Count == 0) problems.Add("Methods: choose scratch, completed pretraining runs and/or imported weights.");
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));

        // Plan on absolute dataset folders (split.json is read for the budgets' draws), store them relative to the data root.
        var absolute = BenchmarkProtocol.FromJson(protocol!.ToJson());
        absolute.Datasets = protocol.Datasets.Select(d => datasets.Resolve(d, user.LabId)!).ToList();
        var relativeOf = protocol.Datasets.ToDictionary(d => datasets.Resolve(d, user.LabId)!, d => d);
        // The run folder is set by the training service when a cell starts; Validate() wants one meanwhile.
        var planned = BenchmarkPlan.Cells(absolute, methods, _ => "runs/benchmark-cell")
            .Where(c => seeds is null || seeds.Contains(c.Key.Seed)).ToList();
        if (planned.Count > MaxCellsPerLaunch)
            throw new ArgumentException($"Protocol: {planned.Count} cells (methods × datasets × budgets × seeds) exceed the limit of {MaxCellsPerLaunch} per launch.");
        var hash = RecipeHash(protocol);

        HashSet<(string, string, string, long)> existing;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var keys = methods.Select(m => m.Key).ToList();
            existing = (await db.BenchmarkCells.AsNoTracking()
                    .Where(c => c.LabId == user.LabId && c.ProtocolName == protocol.Name && c.RecipeHash == hash && keys.Contains(c.MethodKey))
                    .Select(c => new { c.MethodKey, c.Dataset, c.Budget, c.Seed }).ToListAsync(ct))
                .Select(c => (c.MethodKey, c.Dataset, c.Budget, c.Seed)).ToHashSet();
        }
        var missing = planned.Where(c => !existing.Contains((c.Key.Method, c.Key.Dataset, c.Key.Budget.ToString(), c.Key.Seed))).ToList();
        if (missing.Count == 0) return new BenchmarkLaunch(0, planned.Count);
        var labels = methods.ToDictionary(m => m.Key, m => m.Label);
        var configs = missing.Select(c =>
        {
            var o = c.Options;
            o.DatasetDir = relativeOf[o.DatasetDir];
            o.OutputDir = "";
            return (Name: $"{protocol.Name} · {labels[c.Key.Method]} · {c.Key.Dataset} · {c.Key.Budget} · seed {c.Key.Seed}".Truncate(NameRule.MaxLength),
                o.Model, FineTuneRunConfig.Write(o), (long)o.Steps);
        }).ToList();
        await runs.QueueFineTunesAsync(user, configs, $"{Tag}:{protocol.Name}".Truncate(200), (db, rows) =>
        {
            for (int i = 0; i < rows.Count; i++)
            {
                var k = missing[i].Key;
                db.BenchmarkCells.Add(new CellRow
                {
                    LabId = user.LabId, ProtocolName = protocol.Name, RecipeHash = hash, MethodKey = k.Method, MethodLabel = labels[k.Method].Truncate(300),
                    Dataset = k.Dataset, Budget = k.Budget.ToString(), Seed = k.Seed, TrainingRunId = rows[i].Id,
                });
            }
        }, ct);
        return new BenchmarkLaunch(missing.Count, planned.Count - missing.Count);
    }

    /// <summary>
    /// The grid of a protocol version (its datasets × budgets × seeds, every method run on its name and recipe) and the
    /// finished cells' scores (from <see cref="BenchmarkScoreCache"/>); <paramref name="withConfigs"/> also reads every
    /// cell run's config (only the HTML report needs them).
    /// </summary>
    public async Task<BenchmarkView?> ViewAsync(PortalUser user, int protocolId, CancellationToken ct = default, bool withConfigs = false)
    {
        var entry = await FindAsync(user, protocolId, ct);
        if (entry is null) return null;
        var protocol = BenchmarkProtocol.FromJson(entry.Json, $"protocol {entry.Name} v{entry.Version}");
        var names = protocol.Datasets.Select(BenchmarkProtocol.DatasetName).ToHashSet();
        var budgets = protocol.Budgets.Select(b => b.ToString()).ToHashSet();
        var seeds = protocol.Seeds.ToHashSet();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.BenchmarkCells.AsNoTracking()
            .Where(c => c.LabId == user.LabId && c.ProtocolName == entry.Name && c.RecipeHash == entry.RecipeHash)
            .Select(c => new { c.MethodKey, c.MethodLabel, c.Dataset, c.Budget, c.Seed, c.TrainingRunId, c.TrainingRun!.Status, c.TrainingRun.RunFolder, c.TrainingRun.FinishedAt })
            .ToListAsync(ct);
        rows = rows.Where(r => names.Contains(r.Dataset) && budgets.Contains(r.Budget) && seeds.Contains(r.Seed)).OrderBy(r => r.TrainingRunId).ToList();
        var parsed = budgets.ToDictionary(b => b, b => LabelBudget.Parse(b));
        var cells = rows.Select(r => new GridCell(r.MethodKey, r.MethodLabel, r.Dataset, parsed[r.Budget], r.Seed, r.TrainingRunId,
            BenchmarkView.StateOf(r.Status))).ToList();
        var done = rows.Where(r => r.Status == TrainingRunStatus.Completed).ToList();
        var cached = scoreCache.Get(done.Select(r => (r.TrainingRunId, r.FinishedAt, Path.Combine(paths.DataRoot, r.RunFolder))).ToList());
        var scores = new List<BenchmarkScore>();
        foreach (var r in done)
        {
            if (!cached.TryGetValue(r.TrainingRunId, out var cellScores)) continue;
            var key = new BenchmarkCellKey(r.MethodKey, r.Dataset, parsed[r.Budget], r.Seed);
            scores.AddRange(cellScores.Where(s => BenchmarkResults.Reports(protocol.Metrics, s.Metric))
                .Select(s => BenchmarkScoreCache.Keyed(s, r.MethodLabel, key)));
        }
        scores.AddRange(await KnnScoresAsync(db, user, cells, names, protocol.Metrics, ct));
        var order = cells.Select(c => c.MethodLabel).Distinct().OrderBy(l => l == BenchmarkMethod.Scratch ? 0 : 1).ToList();
        IReadOnlyList<ReportRun> configs = [];
        if (withConfigs)
        {
            var missing = rows.Select(r => r.TrainingRunId).Where(id => !scoreCache.HasConfig(id)).ToList();
            var json = await db.TrainingRuns.AsNoTracking().Where(r => missing.Contains(r.Id)).Select(r => new { r.Id, r.ConfigJson }).ToListAsync(ct);
            Parallel.ForEach(json, r => scoreCache.Config(r.Id, r.ConfigJson));
            configs = rows.Select(r => new ReportRun($"{r.MethodLabel} / {r.Dataset} / {r.Budget} / seed {r.Seed}", scoreCache.Config(r.TrainingRunId, "{}"))).ToList();
        }
        return new BenchmarkView(entry, protocol, cells, scores, order, configs);
    }

    /// <summary>The one-shot kNN column: kNN reports of the grid's pretraining runs on the protocol's datasets (<see cref="KnnBenchmarkScores"/>).</summary>
    private async Task<IReadOnlyList<BenchmarkScore>> KnnScoresAsync(MedSegDbContext db, PortalUser user, IReadOnlyList<GridCell> cells,
        IReadOnlyCollection<string> datasetNames, IReadOnlyList<string> metrics, CancellationToken ct)
    {
        var labels = cells.GroupBy(c => c.MethodKey).ToDictionary(g => g.Key, g => g.First().MethodLabel);
        var ids = labels.Keys.Select(RunIdOf).OfType<int>().ToList();
        if (ids.Count == 0) return [];
        var runs = await db.TrainingRuns.AsNoTracking().Where(r => ids.Contains(r.Id) && r.LabId == user.LabId)
            .Select(r => new { r.Id, r.RunFolder }).ToListAsync(ct);
        return runs.Where(r => r.RunFolder.Length > 0)
            .SelectMany(r => KnnBenchmarkScores.Of(labels[RunKey(r.Id)], Path.Combine(paths.DataRoot, r.RunFolder), datasetNames, metrics)).ToList();
    }

    /// <summary>The method key of a pretraining run's row ("run-ID").</summary>
    public static string RunKey(int runId) => $"run-{runId}";

    private static int? RunIdOf(string methodKey) =>
        methodKey.StartsWith("run-", StringComparison.Ordinal) && int.TryParse(methodKey.AsSpan(4), out int id) ? id : null;

    /// <summary>The lab's completed pretraining runs (any method but fine-tuning): what a protocol can be run on.</summary>
    public async Task<IReadOnlyList<(int Id, string Name, string Method)>> PretrainingRunsAsync(PortalUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.TrainingRuns.AsNoTracking()
                .Where(r => r.LabId == user.LabId && r.Method != TrainingMethods.FineTune && r.Status == TrainingRunStatus.Completed)
                .OrderBy(r => r.Id).Select(r => new { r.Id, r.Name, r.Method }).ToListAsync(ct))
            .Select(r => (r.Id, r.Name, r.Method)).ToList();
    }

    private static void RequireWriter(PortalUser user, string what)
    {
        if (!user.CanWrite) throw new UnauthorizedAccessException($"Role: viewers cannot {what}; ask your lab's PI for the member role.");
    }

    /// <summary>Longest protocol JSON stored (the column's size).</summary>
    public const int MaxJsonLength = 200_000;

    private (BenchmarkProtocol? Protocol, List<string> Problems) Parse(string json, string labId)
    {
        if (json.Length > MaxJsonLength) return (null, [$"Protocol JSON must be at most {MaxJsonLength} characters, got {json.Length}."]);
        BenchmarkProtocol protocol;
        try { protocol = BenchmarkProtocol.FromJson(json); }
        catch (ArgumentException e) { return (null, [e.Message]); }
        var problems = new List<string>();
        for (int i = 0; i < protocol.Datasets.Count; i++)
        {
            var dir = datasets.Resolve(protocol.Datasets[i], labId);
            if (dir is null)
            {
                problems.Add($"Protocol.datasets[{i}] must be a dataset folder of your lab under '{DownstreamDatasets.Folder}/' with dataset.json and split.json (e.g. '{DownstreamDatasets.Folder}/NAME'), got '{protocol.Datasets[i]}'.");
                continue;
            }
            int train = BenchmarkPlan.TrainIds(dir).Count;
            foreach (var b in protocol.Budgets.Where(b => b.Cases > train))
                problems.Add($"Protocol.budgets: {b} labelled cases is more than the {train} training cases of '{protocol.Datasets[i]}'.");
        }
        if (protocol.FineTune.Steps > options.Value.MaxSteps)
            problems.Add($"Protocol.fineTune.steps: {protocol.FineTune.Steps} exceeds the server's limit of {options.Value.MaxSteps} (Training:MaxSteps).");
        return (protocol, problems);
    }

    public static string RecipeHash(BenchmarkProtocol protocol) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(protocol.RecipeKey())))[..32];
}

internal static class StringTruncation
{
    public static string Truncate(this string s, int max) => s.Length <= max ? s : s[..max];
}

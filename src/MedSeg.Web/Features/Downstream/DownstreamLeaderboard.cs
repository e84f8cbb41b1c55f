using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.FineTune;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Downstream;

/// <summary>One fine-tuning run's final scores: Dice per foreground label, mean Dice and mean ASSD (mm) from its evaluation.json.
/// <paramref name="Pretraining"/> is the method of the run it started from (catalogue display name), "scratch", or "file".</summary>
public sealed record DownstreamRow(int RunId, string RunName, string Init, IReadOnlyDictionary<int, double> Dice, double MeanDice, double MeanAssd, string Split,
    string Pretraining = "");

/// <summary>
/// The table for one downstream dataset: foreground classes (label → name from dataset.json) and one page of rows, best
/// mean Dice first; <paramref name="Total"/> rows in all (0 = <paramref name="Rows"/> is the whole table).
/// </summary>
public sealed record DownstreamBoard(string DatasetPath, IReadOnlyList<KeyValuePair<int, string>> Classes, IReadOnlyList<DownstreamRow> Rows,
    int Total = 0, int Page = 1, int Size = 0)
{
    public int PageCount => Size <= 0 ? 1 : Math.Max(1, (Total + Size - 1) / Size);
}

/// <summary>
/// Reads the downstream leaderboard: the lab's fine-tuning runs on a dataset that wrote evaluation.json, labelled by
/// their init ("scratch", the pretraining run's name, or the safetensors file name). One page at a time: a completed
/// fine-tune run's dataset and mean Dice are recorded on its row the first time the board meets it (its config and
/// evaluation.json read once), then filter, order and LIMIT run in the database; only the page's evaluation.json files
/// are read for their per-class Dice, and only the page's init runs for their names.
/// </summary>
public sealed class DownstreamLeaderboard(IDbContextFactory<MedSegDbContext> dbFactory, DataPaths paths, Training.Methods.MethodCatalog? catalog = null)
{
    public const int DefaultPageSize = 25; // a screenful, as the runs leaderboard

    public async Task<DownstreamBoard> ReadAsync(PortalUser user, string datasetPath, int page = 1, int size = DefaultPageSize, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        size = Math.Clamp(size, 1, 1000);
        await RecordNewRunsAsync(user, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = Normalize(datasetPath);
        var onBoard = db.TrainingRuns.AsNoTracking().Where(r => r.LabId == user.LabId && r.DownstreamDataset == dataset);
        var total = await onBoard.CountAsync(ct);
        // Not-a-number Dice last on every provider (PostgreSQL sorts NULL first when descending), ties: older run first.
        // The order is read from the (LabId, DownstreamDataset, DownstreamMeanDice) index alone; whole rows (configs) only for the page.
        var pageIds = await onBoard.OrderBy(r => r.DownstreamMeanDice == null).ThenByDescending(r => r.DownstreamMeanDice).ThenBy(r => r.Id)
            .Skip((page - 1) * size).Take(size).Select(r => r.Id).ToListAsync(ct);
        var byId = await db.TrainingRuns.AsNoTracking().Where(r => pageIds.Contains(r.Id)).OrderBy(r => r.Id).Take(pageIds.Count)
            .ToDictionaryAsync(r => r.Id, ct); // ordered: EF warns on every view about a LIMIT without one
        var runs = pageIds.Where(byId.ContainsKey).Select(id => byId[id]).ToList();

        var options = runs.Select(r => FineTuneRunConfig.Read(r.ConfigJson, $"run {r.Id}")).ToList();
        var initFolders = options.Select(o => InitSource.Parse(o.Init)).Where(s => s.Kind == InitKind.Run).Select(s => Normalize(s.Path!)).Distinct().ToList();
        var initRuns = initFolders.Count == 0 ? [] : await db.TrainingRuns.AsNoTracking().Where(r => r.LabId == user.LabId && initFolders.Contains(r.RunFolder))
            .OrderBy(r => r.Id).Take(initFolders.Count).Select(r => new TrainingRun { Id = r.Id, RunFolder = r.RunFolder, Name = r.Name, Method = r.Method, DatasetId = r.DatasetId }).ToListAsync(ct);
        var byFolder = initRuns.GroupBy(n => Normalize(n.RunFolder)).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var methodByFolder = initRuns.GroupBy(n => Normalize(n.RunFolder))
            .ToDictionary(g => g.Key, g => RunMethodNames.Display(g.First(), catalog ?? Training.Methods.MethodCatalog.Default), StringComparer.Ordinal);

        var rows = new List<DownstreamRow>(runs.Count);
        for (var i = 0; i < runs.Count; i++)
        {
            var evaluation = ReadEvaluation(runs[i]);
            if (evaluation is null) continue; // removed since it was recorded
            rows.Add(ToRow(runs[i], evaluation, InitLabel(options[i].Init, options[i].EncoderOnly, byFolder)) with
            {
                Pretraining = PretrainingLabel(options[i].Init, methodByFolder),
            });
        }

        var datasetDir = new DownstreamDatasets(paths).Resolve(datasetPath, user.LabId);
        IReadOnlyDictionary<int, string> labels = datasetDir is null ? new Dictionary<int, string>() : DownstreamDatasets.Labels(datasetDir);
        return new DownstreamBoard(datasetPath, [.. labels.Where(l => l.Key != 0).OrderBy(l => l.Key)], rows, total, page, size);
    }

    /// <summary>
    /// Records dataset and mean Dice on the lab's completed fine-tune runs the board has not met yet ("" when a run has no
    /// readable config or evaluation): each run's files are read once in its life, not on every view.
    /// </summary>
    private async Task RecordNewRunsAsync(PortalUser user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        while (true)
        {
            var batch = await db.TrainingRuns.Where(r => r.LabId == user.LabId && r.Method == TrainingMethods.FineTune
                && r.Status == TrainingRunStatus.Completed && r.DownstreamDataset == null).OrderBy(r => r.Id).Take(500).ToListAsync(ct);
            if (batch.Count == 0) return;
            foreach (var run in batch)
            {
                FineTuneOptions? options = null;
                try { options = FineTuneRunConfig.Read(run.ConfigJson, $"run {run.Id}"); }
                catch (ArgumentException) { }
                var evaluation = options is null ? null : ReadEvaluation(run);
                run.DownstreamDataset = evaluation is null ? "" : Normalize(options!.DatasetDir);
                run.DownstreamMeanDice = evaluation is { MeanDice: var d } && double.IsFinite(d) ? d : null;
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    private FineTuneEvaluation? ReadEvaluation(TrainingRun run)
    {
        var file = Path.Combine(paths.RunDirectory(run), FineTuneEvaluation.FileName);
        if (!File.Exists(file)) return null;
        try { return FineTuneEvaluation.Read(file); }
        catch (InvalidDataException) { return null; } // one damaged file must not hide the whole table
        catch (IOException) { return null; }
    }

    /// <summary>A row from a run and its evaluation (background left out of the per-class Dice).</summary>
    public static DownstreamRow ToRow(TrainingRun run, FineTuneEvaluation evaluation, string init) =>
        new(run.Id, run.Name, init, evaluation.MeanPerClass.Where(c => c.Label != 0).ToDictionary(c => c.Label, c => c.Dice),
            evaluation.MeanDice, evaluation.MeanAssd, evaluation.Split);

    /// <summary>"scratch", the pretraining run's name (its folder when unknown) or the safetensors file name; "(encoder)" for encoder-only.</summary>
    public static string InitLabel(string init, bool encoderOnly, IReadOnlyDictionary<string, string> runNamesByFolder)
    {
        var source = InitSource.Parse(init);
        var label = source.Kind switch
        {
            InitKind.Scratch => "scratch",
            InitKind.Run => runNamesByFolder.TryGetValue(Normalize(source.Path!), out var name) ? name : source.Path!,
            _ => Path.GetFileName(source.Path!),
        };
        return encoderOnly && source.Kind != InitKind.Scratch ? $"{label} (encoder)" : label;
    }

    /// <summary>"scratch", the pretraining run's method (e.g. "Volume Fusion (MIS-FM)", "LWI (shuffle + mask)"), or "weights file".</summary>
    public static string PretrainingLabel(string init, IReadOnlyDictionary<string, string> methodsByFolder)
    {
        var source = InitSource.Parse(init);
        return source.Kind switch
        {
            InitKind.Scratch => "scratch",
            InitKind.Run => methodsByFolder.TryGetValue(Normalize(source.Path!), out var method) ? method : "run",
            _ => "weights file",
        };
    }

    private static string Normalize(string path) => path.Replace('\\', '/').TrimEnd('/');
}

using System.Collections.Concurrent;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.FineTune;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Features.Downstream;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// Display names of a run's segmentation classes (index = class id, background first), the one source for every page
/// that shows per-class Dice (run page, compare view, leaderboard). FDSL on AVS-DB: each class is an (xy class, z class)
/// pair of the run's spec, named like "5-gon · constant"; fine-tuning: the label names of the downstream dataset's
/// dataset.json. Anything unreadable falls back to "class i", never an error on a page.
/// </summary>
public sealed class RunClassNames(IDbContextFactory<MedSegDbContext> dbFactory, DataPaths paths, ILogger<RunClassNames> logger)
{
    // A run's data and config never change after it is queued, so its names are worked out once.
    private readonly ConcurrentDictionary<int, IReadOnlyList<string>> cache = new();

    /// <summary>Names by class id (background first); empty when the run's classes cannot be told.</summary>
    public async Task<IReadOnlyList<string>> ResolveAsync(TrainingRun run, CancellationToken ct = default)
    {
        if (cache.TryGetValue(run.Id, out var cached)) return cached;
        IReadOnlyList<string> names = [];
        try
        {
            names = run.Method == TrainingMethods.FineTune ? FineTuneNames(run) : await FdslNamesAsync(run, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Class names of run {RunId} could not be read; showing class numbers", run.Id);
        }
        if (run.Id > 0) cache[run.Id] = names;
        return names;
    }

    /// <summary>The name of <paramref name="classId"/> in <paramref name="names"/>, or "background" / "class i" when unknown.</summary>
    public static string Name(IReadOnlyList<string> names, int classId) =>
        classId >= 0 && classId < names.Count && !string.IsNullOrWhiteSpace(names[classId]) ? names[classId]
        : classId == 0 ? "background" : $"class {classId}";

    /// <summary>"ellipse · constant", "5-gon · concave inside": the xy cross-section, then how it changes along z.</summary>
    public static IReadOnlyList<string> FromSpec(AvsDbSpec spec)
    {
        var names = new List<string>(spec.ClassCount + 1) { "background" };
        for (var xy = 0; xy < spec.Xy.VertexCounts.Length; xy++)
            for (var z = 0; z < spec.ZClasses.Length; z++)
            {
                var vertices = spec.Xy.VertexCounts[xy];
                names.Add($"{(vertices == 0 ? "ellipse" : $"{vertices}-gon")} · {spec.ZClasses[z].Rule.Slug().Replace('-', ' ')}");
            }
        return names;
    }

    private async Task<IReadOnlyList<string>> FdslNamesAsync(TrainingRun run, CancellationToken ct)
    {
        var specJson = run.SpecJson;
        if (specJson is null && run.DatasetId is int datasetId)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            specJson = await db.Datasets.AsNoTracking().Where(d => d.Id == datasetId && d.Kind == DatasetKinds.AvsDb)
                .Select(d => d.SpecJson).SingleOrDefaultAsync(ct);
        }
        return specJson is null ? [] : FromSpec(AvsDbSpec.FromJson(specJson, $"run {run.Id} spec"));
    }

    private IReadOnlyList<string> FineTuneNames(TrainingRun run)
    {
        var options = FineTuneRunConfig.Read(run.ConfigJson, $"Run {run.Id}");
        var labels = MsdCaseList.ReadLabelNames(Path.Combine(Path.GetFullPath(Path.Combine(paths.DataRoot, options.DatasetDir)), "dataset.json"));
        if (labels.Count == 0) return [];
        var names = new string[labels.Keys.Max() + 1];
        for (var i = 0; i < names.Length; i++) names[i] = labels.TryGetValue(i, out var n) ? n : Name([], i);
        return names;
    }
}

using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.FineTune;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Downstream;

/// <summary>One fine-tuning run's final scores: Dice per foreground label, mean Dice and mean ASSD (mm) from its evaluation.json.</summary>
public sealed record DownstreamRow(int RunId, string RunName, string Init, IReadOnlyDictionary<int, double> Dice, double MeanDice, double MeanAssd, string Split);

/// <summary>The table for one downstream dataset: foreground classes (label → name from dataset.json) and rows, best mean Dice first.</summary>
public sealed record DownstreamBoard(string DatasetPath, IReadOnlyList<KeyValuePair<int, string>> Classes, IReadOnlyList<DownstreamRow> Rows);

/// <summary>
/// Reads the downstream leaderboard: the lab's fine-tuning runs on a dataset that wrote evaluation.json, labelled by
/// their init ("scratch", the pretraining run's name, or the safetensors file name).
/// </summary>
public sealed class DownstreamLeaderboard(IDbContextFactory<MedSegDbContext> dbFactory, DataPaths paths)
{
    public async Task<DownstreamBoard> ReadAsync(PortalUser user, string datasetPath, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = await db.TrainingRuns.AsNoTracking()
            .Where(r => r.LabId == user.LabId && r.Method == TrainingMethods.FineTune).OrderBy(r => r.Id).ToListAsync(ct);
        var names = await db.TrainingRuns.AsNoTracking().Where(r => r.LabId == user.LabId)
            .Select(r => new { r.RunFolder, r.Name }).ToListAsync(ct);
        var byFolder = names.Where(n => n.RunFolder.Length > 0)
            .ToDictionary(n => Normalize(n.RunFolder), n => n.Name, StringComparer.Ordinal);

        var rows = new List<DownstreamRow>();
        foreach (var run in runs)
        {
            FineTuneOptions options;
            try { options = FineTuneRunConfig.Read(run.ConfigJson, $"run {run.Id}"); }
            catch (ArgumentException) { continue; }
            if (Normalize(options.DatasetDir) != Normalize(datasetPath)) continue;
            var file = Path.Combine(paths.RunDirectory(run), FineTuneEvaluation.FileName);
            if (!File.Exists(file)) continue;
            FineTuneEvaluation evaluation;
            try { evaluation = FineTuneEvaluation.Read(file); }
            catch (InvalidDataException) { continue; } // one damaged file must not hide the whole table
            rows.Add(ToRow(run, evaluation, InitLabel(options.Init, options.EncoderOnly, byFolder)));
        }

        var datasetDir = new DownstreamDatasets(paths).Resolve(datasetPath, user.LabId);
        IReadOnlyDictionary<int, string> labels = datasetDir is null ? new Dictionary<int, string>() : DownstreamDatasets.Labels(datasetDir);
        return new DownstreamBoard(datasetPath, [.. labels.Where(l => l.Key != 0).OrderBy(l => l.Key)],
            [.. rows.OrderByDescending(r => double.IsNaN(r.MeanDice) ? double.NegativeInfinity : r.MeanDice)]);
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

    private static string Normalize(string path) => path.Replace('\\', '/').TrimEnd('/');
}

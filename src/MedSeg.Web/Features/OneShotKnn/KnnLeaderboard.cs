using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.Benchmarks;
using MedSeg.Training.Evaluation.OneShot;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.OneShotKnn;

/// <summary>One kNN report of a pretraining run on the board's dataset.</summary>
public sealed record KnnBoardRow(int RunId, string RunName, string Method, string Protocol, int Atlases, long Seed,
    IReadOnlyDictionary<string, double?> DicePerOrgan, double? MeanDice, int Targets, string Stem);

/// <summary>The one-shot kNN column group of a downstream dataset's leaderboard: organs (dataset order) and rows, best mean Dice first.</summary>
public sealed record KnnBoard(IReadOnlyList<string> Organs, IReadOnlyList<KnnBoardRow> Rows);

/// <summary>
/// Reads the one-shot kNN results of the lab's completed pretraining runs on one downstream dataset (their knn/ reports),
/// a query of its own beside the fine-tune leaderboard: kNN rows are pretraining runs, not fine-tune runs.
/// </summary>
public sealed class KnnLeaderboard(IDbContextFactory<MedSegDbContext> dbFactory, DataPaths paths)
{
    public async Task<KnnBoard> ReadAsync(PortalUser user, string datasetPath, CancellationToken ct = default)
    {
        var name = BenchmarkProtocol.DatasetName(datasetPath);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = await db.TrainingRuns.AsNoTracking()
            .Where(r => r.LabId == user.LabId && r.Method != TrainingMethods.FineTune && r.Status == TrainingRunStatus.Completed && r.RunFolder != "")
            .OrderBy(r => r.Id).Select(r => new TrainingRun { Id = r.Id, Name = r.Name, Method = r.Method, RunFolder = r.RunFolder, LabId = r.LabId })
            .ToListAsync(ct); // only what a row shows: at 10,000 runs the configs would cost more than the folders
        var rows = new List<KnnBoardRow>();
        var organs = new List<string>();
        foreach (var run in runs)
        {
            foreach (var r in OneShotKnnStore.List(paths.RunDirectory(run)).Where(r => KnnBenchmarkScores.DatasetName(r.Options.Dataset) == name))
            {
                organs.AddRange(r.DicePerOrgan.Keys.Where(o => !organs.Contains(o)));
                rows.Add(new KnnBoardRow(run.Id, run.Name, run.Method, r.Options.Protocol.ToString().ToLowerInvariant(), r.Options.Atlases,
                    r.Options.Seed, r.DicePerOrgan, r.MeanDice, r.Targets.Count, OneShotKnnStore.Stem(r.Options)));
            }
        }
        return new KnnBoard(organs, [.. rows.OrderByDescending(r => r.MeanDice ?? double.NegativeInfinity)]);
    }
}

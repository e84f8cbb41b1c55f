using System.Collections.Concurrent;
using System.Threading.Channels;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.Evaluation.OneShot;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.OneShotKnn;

/// <summary>
/// "One-shot kNN" on finished pretraining runs: requests are checked where they enter (lab, role, run state, dataset of
/// the lab, atlases against its training cases) and queued; <see cref="KnnEvaluationWorker"/> runs them one at a time in
/// the background. Jobs are tracked in memory (progress, failure); a job cut off by a restart leaves nothing behind and is
/// simply asked for again — its result, the report in the run's knn/ folder, only ever appears complete.
/// Lab rules as for runs: another lab's run is not found, viewers only read.
/// </summary>
public sealed class KnnEvaluations(IDbContextFactory<MedSegDbContext> dbFactory, DataPaths paths, DownstreamDatasets datasets)
{
    /// <summary>Queued or running evaluations per lab at most.</summary>
    public const int MaxActivePerLab = 20;

    private readonly ConcurrentDictionary<int, KnnJob> _jobs = new();
    private readonly Channel<KnnJob> _queue = Channel.CreateUnbounded<KnnJob>();
    private int _nextId;

    /// <summary>
    /// Queues an evaluation (or returns the same one already queued or running). Throws <see cref="KeyNotFoundException"/>
    /// (no such run in the lab), <see cref="UnauthorizedAccessException"/> (viewer) or <see cref="ArgumentException"/>
    /// with every problem, naming field, value and limit.
    /// </summary>
    public async Task<KnnJob> SubmitAsync(PortalUser user, int runId, KnnRequest request, CancellationToken ct = default)
    {
        TrainingRun? run;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            run = await db.TrainingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId && r.LabId == user.LabId, ct);
        if (run is null) throw new KeyNotFoundException($"No run {runId} in your lab.");
        if (!user.CanWrite) throw new UnauthorizedAccessException("Role: viewers cannot start evaluations; ask your lab's PI for the member role.");
        var problems = new List<string>(request.Problems());
        if (run.Method == TrainingMethods.FineTune) problems.Add($"Run: run {runId} '{run.Name}' is a fine-tuning run; one-shot kNN evaluates pretraining runs.");
        else if (run.Status != TrainingRunStatus.Completed) problems.Add($"Run: run {runId} '{run.Name}' is {run.Status}; only completed runs can be evaluated.");
        var dir = datasets.Resolve(request.Dataset, user.LabId);
        if (!string.IsNullOrWhiteSpace(request.Dataset) && dir is null)
            problems.Add($"Dataset: '{request.Dataset}' is not a downstream dataset of your lab ({DownstreamDatasets.Folder}/NAME with dataset.json and split.json).");
        OneShotKnnOptions? options = null;
        if (problems.Count == 0)
        {
            options = new OneShotKnnOptions { Dataset = dir!, Atlases = request.Atlases, Seed = request.Seed, Protocol = request.ParsedProtocol!.Value };
            try { OneShotKnnBenchmark.Choose(MsdCaseList.Read(dir!), options); }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException) { problems.Add(e.Message); }
        }
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));

        var stem = OneShotKnnStore.Stem(options!);
        var active = _jobs.Values.Where(j => j.Active && j.LabId == user.LabId).ToList();
        if (active.FirstOrDefault(j => j.RunId == runId && j.Stem == stem) is { } same) return same;
        if (active.Count >= MaxActivePerLab)
            throw new ArgumentException($"Queue: your lab has {active.Count} kNN evaluations queued or running, the limit is {MaxActivePerLab}; wait for some to finish.");
        var job = new KnnJob(Interlocked.Increment(ref _nextId), user.LabId, runId, run.Name, request.Dataset!.Trim(), options!)
        {
            RunDir = paths.RunDirectory(run),
        };
        _jobs[job.Id] = job;
        await _queue.Writer.WriteAsync(job, ct);
        return job;
    }

    /// <summary>The tracked jobs of a run (newest first); empty for another lab's run.</summary>
    public IReadOnlyList<KnnJob> Jobs(PortalUser user, int runId) =>
        _jobs.Values.Where(j => j.RunId == runId && j.LabId == user.LabId).OrderByDescending(j => j.Id).ToList();

    /// <summary>The next queued job (the worker's loop).</summary>
    internal ValueTask<KnnJob> NextAsync(CancellationToken ct) => _queue.Reader.ReadAsync(ct);
}

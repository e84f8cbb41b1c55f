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
/// the background. Jobs are tracked in memory (progress, failure), and each queued or running one also as a small file in
/// <c>knn-queue/</c> of the data root (lab, run, request): a portal that stops or dies (kill -9) queues those again at its
/// next start (<see cref="ResumeAsync"/>), and the evaluation starts over — its result, the report in the run's knn/
/// folder, only ever appears complete. Lab rules as for runs: another lab's run is not found, viewers only read.
/// </summary>
public sealed class KnnEvaluations(IDbContextFactory<MedSegDbContext> dbFactory, DataPaths paths, DownstreamDatasets datasets,
    ILogger<KnnEvaluations> log)
{
    /// <summary>The data root's folder of queued and running evaluations (one JSON file each).</summary>
    public const string QueueFolder = "knn-queue";

    /// <summary>A queued or running evaluation as its file keeps it across restarts.</summary>
    private sealed record QueuedKnn(string LabId, int RunId, KnnRequest Request);

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
    public Task<KnnJob> SubmitAsync(PortalUser user, int runId, KnnRequest request, CancellationToken ct = default) =>
        EnqueueAsync(user.LabId, user.CanWrite, runId, request, ct);

    /// <summary>
    /// Queues again the evaluations whose files a stopped (or killed) portal left in <see cref="QueueFolder"/>; one that is
    /// no longer valid (run or dataset gone) is dropped with a log line. Called once by the worker at start-up.
    /// </summary>
    internal async Task ResumeAsync(CancellationToken ct)
    {
        var folder = Path.Combine(paths.DataRoot, QueueFolder);
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var queued = System.Text.Json.JsonSerializer.Deserialize<QueuedKnn>(await File.ReadAllTextAsync(file, ct))
                    ?? throw new ArgumentException("empty file");
                var job = await EnqueueAsync(queued.LabId, canWrite: true, queued.RunId, queued.Request, ct);
                // Nothing runs yet: a staging folder is what the cut-off attempt left.
                var knn = Path.Combine(job.RunDir, OneShotKnnStore.Folder);
                if (Directory.Exists(knn))
                    foreach (var staging in Directory.GetDirectories(knn, ".staging-*")) Directory.Delete(staging, recursive: true);
                log.LogInformation("One-shot kNN of run {RunId} ({Stem}) queued again after a restart", job.RunId, job.Stem);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or KeyNotFoundException or IOException)
            {
                log.LogWarning("Dropping the queued one-shot kNN {File}: {Message}", Path.GetFileName(file), e.Message);
                File.Delete(file);
            }
        }
    }

    private async Task<KnnJob> EnqueueAsync(string labId, bool canWrite, int runId, KnnRequest request, CancellationToken ct)
    {
        TrainingRun? run;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            run = await db.TrainingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId && r.LabId == labId, ct);
        if (run is null) throw new KeyNotFoundException($"No run {runId} in your lab.");
        if (!canWrite) throw new UnauthorizedAccessException("Role: viewers cannot start evaluations; ask your lab's PI for the member role.");
        var problems = new List<string>(request.Problems());
        if (run.Method == TrainingMethods.FineTune) problems.Add($"Run: run {runId} '{run.Name}' is a fine-tuning run; one-shot kNN evaluates pretraining runs.");
        else if (run.Status != TrainingRunStatus.Completed) problems.Add($"Run: run {runId} '{run.Name}' is {run.Status}; only completed runs can be evaluated.");
        var dir = datasets.Resolve(request.Dataset, labId);
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
        var active = _jobs.Values.Where(j => j.Active && j.LabId == labId).ToList();
        if (active.FirstOrDefault(j => j.RunId == runId && j.Stem == stem) is { } same) return same;
        if (active.Count >= MaxActivePerLab)
            throw new ArgumentException($"Queue: your lab has {active.Count} kNN evaluations queued or running, the limit is {MaxActivePerLab}; wait for some to finish.");
        var queueFile = Path.Combine(paths.DataRoot, QueueFolder, $"{runId}-{stem}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(queueFile)!);
        // Written whole, then renamed: a portal killed meanwhile leaves no half file to resume.
        await File.WriteAllTextAsync(queueFile + ".tmp", System.Text.Json.JsonSerializer.Serialize(new QueuedKnn(labId, runId, request)), ct);
        File.Move(queueFile + ".tmp", queueFile, overwrite: true);
        var job = new KnnJob(Interlocked.Increment(ref _nextId), labId, runId, run.Name, request.Dataset!.Trim(), options!)
        {
            RunDir = paths.RunDirectory(run),
            QueueFile = queueFile,
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

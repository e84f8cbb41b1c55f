using MedSeg.Core.Datasets.Msd;
using MedSeg.Training.Evaluation.OneShot;

namespace MedSeg.Web.Features.OneShotKnn;

/// <summary>
/// Runs the queued one-shot kNN evaluations one after another on the CPU: descriptors from the run's
/// <c>model.safetensors</c> (<see cref="DescriptorSources"/>), the label transfer written into a staging folder, then moved
/// beside the report, which is written last and atomically — so knn/ only ever holds complete results.
/// </summary>
public sealed class KnnEvaluationWorker(KnnEvaluations evaluations, ILogger<KnnEvaluationWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Evaluations queued or running when the portal last stopped (or was killed) start again.
        try { await evaluations.ResumeAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        while (!stoppingToken.IsCancellationRequested)
        {
            KnnJob job;
            try { job = await evaluations.NextAsync(stoppingToken); }
            catch (OperationCanceledException) { return; }
            await Task.Run(() => Execute(job, stoppingToken), CancellationToken.None);
        }
    }

    /// <summary>One evaluation; failures are kept on the job (with the message) and never leave a file behind.</summary>
    public void Execute(KnnJob job, CancellationToken ct)
    {
        var staging = Path.Combine(job.RunDir, OneShotKnnStore.Folder, $".staging-{job.Id}-{Guid.NewGuid():N}");
        try
        {
            job.State = KnnJobState.Running;
            log.LogInformation("One-shot kNN of run {RunId} ({Stem}) started", job.RunId, job.Stem);
            var (atlases, targets) = OneShotKnnBenchmark.Choose(MsdCaseList.Read(job.Options.Dataset), job.Options);
            job.Total = atlases.Count + targets.Count;
            job.Message = "loading descriptors";
            Directory.CreateDirectory(staging);
            var transfer = Path.Combine(staging, "transfer.nii.gz");
            OneShotKnnReport report;
            using (var source = DescriptorSources.FromRun(job.RunDir))
                report = OneShotKnnBenchmark.Run(source, job.Options, job.RunName, transfer, new Counter(job), ct);
            var final = OneShotKnnStore.TransferPath(job.RunDir, job.Options);
            if (report.TransferFile is not null) File.Move(transfer, final, overwrite: true);
            OneShotKnnStore.Save(job.RunDir, report with { TransferFile = report.TransferFile is null ? null : final });
            job.Message = report.MeanDice is double d ? $"mean Dice {d:0.000}" : "done";
            job.State = KnnJobState.Done;
            log.LogInformation("One-shot kNN of run {RunId} ({Stem}): {Message}, {Volumes} volumes", job.RunId, job.Stem, job.Message, job.Total);
        }
        catch (OperationCanceledException)
        {
            // Its queue file stays: the next start runs it again.
            job.Error = "Stopped: the portal shut down before the evaluation finished; it starts again when the portal does.";
            job.State = KnnJobState.Failed;
            return;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "One-shot kNN of run {RunId} failed", job.RunId);
            job.Error = e.Message;
            job.State = KnnJobState.Failed;
        }
        finally
        {
            try { if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true); } catch (IOException) { }
        }
        if (job.QueueFile is not null) File.Delete(job.QueueFile);
    }

    /// <summary>Counts described volumes synchronously (Progress&lt;T&gt; would post to the thread pool and lag).</summary>
    private sealed class Counter(KnnJob job) : IProgress<string>
    {
        public void Report(string value)
        {
            job.Done++;
            job.Message = value;
        }
    }
}

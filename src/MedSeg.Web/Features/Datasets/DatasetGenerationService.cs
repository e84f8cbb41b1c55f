using MedSeg.Core.IO;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Features.Datasets;

/// <summary>
/// Runs queued dataset generations one at a time, oldest first. The queue is the <c>Datasets</c> table (status Queued),
/// so work survives restarts; rows left Running by a stopped server are marked Interrupted at start-up and can be resumed.
/// Progress goes to <see cref="DatasetProgressNotifier"/> on every volume and to the database at most once a second.
/// </summary>
public sealed class DatasetGenerationService(
    IDbContextFactory<MedSegDbContext> dbFactory,
    IEnumerable<IDatasetWriter> writers,
    GenerationQueue queue,
    DatasetProgressNotifier notifier,
    DataPaths paths,
    IOptions<GenerationOptions> options,
    ILogger<DatasetGenerationService> logger) : BackgroundService
{
    private static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await MarkInterruptedAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var next = await ClaimNextAsync(stoppingToken);
                if (next is null)
                    await queue.WaitAsync(options.Value.QueuePollInterval, stoppingToken);
                else
                    await RunAsync(next, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A database hiccup must not kill the service for the life of the process.
                logger.LogError(ex, "Generation queue pass failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary>
    /// Rows left Running by a stopped server become Interrupted. After a hard kill the row's counts lag the folder by up to
    /// the persist interval, so the complete volumes and bytes are recounted from disk (what a resume will keep).
    /// </summary>
    internal async Task MarkInterruptedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Datasets.Where(d => d.Status == DatasetStatus.Running).ToListAsync(ct);
        var now = DateTime.UtcNow;
        foreach (var row in rows)
        {
            row.Status = DatasetStatus.Interrupted;
            row.Error = "The server stopped while this dataset was being generated.";
            row.UpdatedUtc = now;
            try
            {
                var directory = paths.DatasetDirectory(row);
                if (writers.FirstOrDefault(w => w.Kind == row.Kind) is { } writer && Directory.Exists(directory))
                {
                    row.VolumeCountDone = writer.ListCompleteVolumes(directory).Count;
                    row.BytesOnDisk = FolderSize.Of(directory, recursive: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Recounting the volumes of dataset {DatasetId} failed; keeping the stored count", row.Id);
            }
        }
        await db.SaveChangesAsync(ct);
        if (rows.Count > 0) logger.LogWarning("Marked {Count} dataset(s) left running as Interrupted (volumes recounted from disk)", rows.Count);
    }

    /// <summary>Takes the oldest queued dataset, flipping it to Running atomically so no other worker takes it too.</summary>
    private async Task<Dataset?> ClaimNextAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var candidate = await db.Datasets.AsNoTracking().Where(d => d.Status == DatasetStatus.Queued)
            .OrderBy(d => d.CreatedUtc).ThenBy(d => d.Id).Select(d => (int?)d.Id).FirstOrDefaultAsync(ct);
        if (candidate is not { } id) return null;
        var now = DateTime.UtcNow;
        var claimed = await db.Datasets.Where(d => d.Id == id && d.Status == DatasetStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DatasetStatus.Running)
                .SetProperty(d => d.Error, (string?)null)
                .SetProperty(d => d.StartedUtc, now)
                .SetProperty(d => d.FinishedUtc, (DateTime?)null)
                .SetProperty(d => d.UpdatedUtc, now), ct);
        return claimed == 1 ? await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == id, ct) : null;
    }

    private async Task RunAsync(Dataset dataset, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        queue.BeginRun(dataset.Id, cts);
        notifier.Publish(DatasetProgress.FromRow(dataset));
        logger.LogInformation("Generating dataset {DatasetId} ({Kind}, {Count} volumes)", dataset.Id, dataset.Kind, dataset.VolumeCountRequested);
        var started = DateTime.UtcNow;
        var rate = new ProgressRate();
        var persisted = DateTime.MinValue;
        var last = new DatasetWriteProgress(dataset.VolumeCountDone, dataset.VolumeCountRequested, 0, dataset.BytesOnDisk, dataset.DroppedShapes);
        try
        {
            var writer = writers.FirstOrDefault(w => w.Kind == dataset.Kind)
                ?? throw new InvalidOperationException($"No writer for dataset kind '{dataset.Kind}'.");
            var directory = paths.DatasetDirectory(dataset);
            Directory.CreateDirectory(directory);

            var progress = new SynchronousProgress<DatasetWriteProgress>(p =>
            {
                last = p;
                var (perSecond, eta) = rate.Measure(p.VolumesWrittenThisRun, p.VolumesDone, p.VolumesTotal);
                notifier.Publish(new DatasetProgress(dataset.Id, DatasetStatus.Running, p.VolumesDone, p.VolumesTotal,
                    p.BytesOnDisk, p.DroppedShapes, perSecond, eta, null));
                if (DateTime.UtcNow - persisted >= PersistInterval)
                {
                    persisted = DateTime.UtcNow;
                    SaveProgress(dataset.Id, p);
                }
            });

            await writer.WriteAsync(new DatasetWriteRequest(dataset.SpecJson, dataset.Seed, dataset.VolumeCountRequested, directory),
                progress, cts.Token);

            // Count what is really on disk rather than trusting the last report.
            var complete = writer.ListCompleteVolumes(directory);
            var bytes = FolderSize.Of(directory, recursive: true);
            await FinishAsync(dataset.Id, DatasetStatus.Completed, complete.Count, bytes, last.DroppedShapes, null);
            logger.LogInformation("Generated dataset {DatasetId}: {Count} volumes in {Seconds:F1}s",
                dataset.Id, complete.Count, (DateTime.UtcNow - started).TotalSeconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FinishAsync(dataset.Id, DatasetStatus.Interrupted, last.VolumesDone, last.BytesOnDisk, last.DroppedShapes,
                "The server stopped while this dataset was being generated.");
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("Dataset {DatasetId} cancelled after {Done} volumes", dataset.Id, last.VolumesDone);
            await FinishAsync(dataset.Id, DatasetStatus.Cancelled, last.VolumesDone, last.BytesOnDisk, last.DroppedShapes, null);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Dataset {DatasetId} failed", dataset.Id);
            await FinishAsync(dataset.Id, DatasetStatus.Failed, last.VolumesDone, last.BytesOnDisk, last.DroppedShapes, ex.Message);
        }
        finally
        {
            queue.EndRun(dataset.Id);
        }
    }

    private void SaveProgress(int id, DatasetWriteProgress p)
    {
        try
        {
            using var db = dbFactory.CreateDbContext();
            var now = DateTime.UtcNow;
            db.Datasets.Where(d => d.Id == id).ExecuteUpdate(s => s
                .SetProperty(d => d.VolumeCountDone, p.VolumesDone)
                .SetProperty(d => d.BytesOnDisk, p.BytesOnDisk)
                .SetProperty(d => d.DroppedShapes, p.DroppedShapes)
                .SetProperty(d => d.UpdatedUtc, now));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Saving progress of dataset {DatasetId} failed", id);
        }
    }

    // Final bookkeeping uses CancellationToken.None: it must happen even while the host is stopping.
    private async Task FinishAsync(int id, DatasetStatus status, int done, long bytes, int dropped, string? error)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var row = await db.Datasets.SingleAsync(d => d.Id == id, CancellationToken.None);
        row.Status = status;
        row.VolumeCountDone = done;
        row.BytesOnDisk = bytes;
        row.DroppedShapes = dropped;
        row.Error = error;
        row.UpdatedUtc = DateTime.UtcNow;
        row.FinishedUtc = status == DatasetStatus.Completed ? row.UpdatedUtc : null;
        await db.SaveChangesAsync(CancellationToken.None);
        notifier.Publish(DatasetProgress.FromRow(row));
    }

    /// <summary>Reports on the writer's thread, in order (<see cref="Progress{T}"/> would post to the thread pool and reorder).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

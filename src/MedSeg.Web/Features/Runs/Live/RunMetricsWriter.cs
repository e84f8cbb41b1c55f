using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Web.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Features.Runs.Live;

/// <summary>
/// The runs' metrics store (a hosted service): every <see cref="TrainingOptions.MetricsFlushInterval"/> it commits what
/// <see cref="RunLiveBuffer"/> holds of each run (step rows, validation / checkpoint events, and the row's
/// <c>CurrentStep</c>, <c>BestValDice</c>, checkpoint paths) in one transaction, then drops it from the buffer. It never
/// writes <c>TrainingRun.Status</c>: that is <see cref="RunLifecycle"/>'s, and <see cref="EndRunAsync"/> runs after it.
/// </summary>
public sealed class RunMetricsWriter(RunLiveBuffer buffer, RunProgressFeed feed, IDbContextFactory<MedSegDbContext> dbFactory,
    IOptions<TrainingOptions> options, ILogger<RunMetricsWriter> logger) : BackgroundService
{
    /// <summary>Writes everything buffered for the run to the database and pushes the pending steps now.</summary>
    public async Task FlushAsync(int runId)
    {
        if (buffer.Find(runId) is not { } state) return;
        await WriteAsync(state);
        await feed.EmitAsync(state, force: false);
    }

    /// <summary>
    /// After <see cref="RunLifecycle"/> recorded how a run ended (<paramref name="row"/>'s status and error): flushes what
    /// is buffered of it, publishes the final status and stops tracking it. A run not tracked here only gets its status published.
    /// </summary>
    public async Task EndRunAsync(TrainingRun row)
    {
        if (buffer.Find(row.Id) is not { } state)
        {
            await feed.PublishStatusAsync(row);
            return;
        }
        await WriteAsync(state);
        lock (state.Gate)
        {
            state.Status = row.Status;
            state.Error = row.ErrorText;
            state.EtaSeconds = null;
        }
        await feed.EmitAsync(state, force: true);
        buffer.Remove(row.Id);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Ticks at the publish interval so a flush is due at most that late after MetricsFlushInterval.
        using var timer = new PeriodicTimer(options.Value.PublishInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Environment.TickCount64;
                await Task.WhenAll(buffer.Runs.ToList()
                    .Where(s => now - s.FlushedAt >= options.Value.MetricsFlushInterval.TotalMilliseconds)
                    .Select(async s =>
                    {
                        try { await WriteAsync(s); }
                        catch (Exception ex) { logger.LogWarning(ex, "Storing the progress of run {RunId} failed", s.RunId); }
                    }));
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Commits buffered steps, events and the row's running figures in one transaction, then drops them from the buffer.</summary>
    private async Task WriteAsync(RunLiveState state)
    {
        await state.FlushGate.WaitAsync();
        try
        {
            List<RunStepPoint> batch;
            List<RunEvent> events;
            long step; double? loss, best; long total; string? checkpoint, bestCheckpoint;
            lock (state.Gate)
            {
                state.FlushedAt = Environment.TickCount64;
                if (state.Unflushed.Count == 0 && state.Events.Count == 0) return;
                batch = [.. state.Unflushed];
                events = [.. state.Events];
                step = state.LastStep; loss = state.LastLoss; best = state.BestValDice; total = state.TotalSteps;
                checkpoint = state.Checkpoint; bestCheckpoint = state.BestCheckpoint;
            }
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                db.RunStepMetrics.AddRange(batch.Select(p => p.ToRow(state.RunId)));
                db.RunEvents.AddRange(events);
                await db.SaveChangesAsync();
                await db.TrainingRuns.Where(r => r.Id == state.RunId).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.CurrentStep, step)
                    .SetProperty(r => r.TotalSteps, total)
                    .SetProperty(r => r.LastLoss, loss)
                    .SetProperty(r => r.BestValDice, best)
                    .SetProperty(r => r.LastCheckpointPath, checkpoint)
                    .SetProperty(r => r.BestCheckpointPath, bestCheckpoint));
                await transaction.CommitAsync();
            }
            lock (state.Gate)
            {
                // Only the committed prefix leaves the buffer; steps reported meanwhile stay for the next flush.
                state.Unflushed.RemoveRange(0, batch.Count);
                state.Events.RemoveRange(0, events.Count);
            }
        }
        finally
        {
            state.FlushGate.Release();
        }
    }
}

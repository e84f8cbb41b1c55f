using System.Collections.Concurrent;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Features.Runs.Execution;

/// <summary>
/// Live progress of running trainings. The trainer thread <see cref="Report"/>s every step (cheap: a list append under
/// a lock). The steps gathered per run go out as one <see cref="RunProgressMessage"/> to the hub group <c>run-&lt;id&gt;</c>
/// and to in-process subscribers: at once when the previous message of the run is at least
/// <see cref="TrainingOptions.PublishInterval"/> old, otherwise when it will be (a leading-edge throttle: never more than
/// one message per interval, and an isolated step is not held back). A background loop writes them to the database every
/// <see cref="TrainingOptions.MetricsFlushInterval"/> and notices new log lines. A step stays in the
/// in-memory buffer until its row is committed, so <see cref="HistoryAsync"/> (buffer first, then database) never
/// misses a step: see Runs/README.md for the catch-up protocol.
/// </summary>
public sealed class RunProgressPublisher : IAsyncDisposable
{
    private readonly IHubContext<RunsHub> hub;
    private readonly IDbContextFactory<MedSegDbContext> dbFactory;
    private readonly TrainingOptions options;
    private readonly ILogger<RunProgressPublisher> logger;
    private readonly ConcurrentDictionary<int, RunLiveState> live = new();
    private readonly Lock handlersGate = new();
    private Dictionary<int, Func<RunProgressMessage, Task>[]> runHandlers = [];
    private Func<RunProgressMessage, Task>[] allHandlers = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public RunProgressPublisher(IHubContext<RunsHub> hub, IDbContextFactory<MedSegDbContext> dbFactory,
        IOptions<TrainingOptions> options, ILogger<RunProgressPublisher> logger)
    {
        this.hub = hub;
        this.dbFactory = dbFactory;
        this.options = options.Value;
        this.logger = logger;
        loop = Task.Run(LoopAsync);
    }

    /// <summary>Starts buffering a run that continues after <paramref name="startStep"/> (its checkpoint, or 0).</summary>
    /// <param name="runFolder">Absolute run folder, for the log tail; null when there is none (synthetic runs).</param>
    public void BeginRun(int runId, long startStep, long totalSteps, string? runFolder, string? checkpoint, double? bestValDice)
    {
        live[runId] = new RunLiveState(runId, startStep, totalSteps, runFolder, checkpoint, bestValDice);
    }

    /// <summary>The newest step reported for a run this publisher tracks; null when it tracks none (not begun here).</summary>
    public long? TrackedStep(int runId)
    {
        if (!live.TryGetValue(runId, out var state)) return null;
        lock (state.Gate) return state.LastStep;
    }

    /// <summary>Buffers one completed step (called on the trainer thread, in step order).</summary>
    /// <param name="checkpoint">Checkpoint written at this step, relative to the run folder, if any.</param>
    public void Report(int runId, RunStepPoint point, long totalSteps, double? etaSeconds, string? checkpoint = null)
    {
        if (!live.TryGetValue(runId, out var state)) return;
        lock (state.Gate)
        {
            state.PendingLive.Add(point);
            state.Unflushed.Add(point);
            state.TotalSteps = totalSteps;
            state.EtaSeconds = etaSeconds;
            state.LastStep = point.Step;
            state.LastLoss = point.Loss;
            if (point.ValDice is double dice)
            {
                state.Events.Add(RunLifecycle.Event(runId, RunEventKinds.Validated, $"Validation Dice {dice:F4} at step {point.Step}", point.Step, point.At));
                if (state.BestValDice is null || dice > state.BestValDice) state.BestValDice = dice;
            }
            if (checkpoint is not null)
            {
                if (IsBest(checkpoint)) state.BestCheckpoint = checkpoint;
                else state.Checkpoint = checkpoint;
                state.Events.Add(RunLifecycle.Event(runId, RunEventKinds.Checkpointed, $"Checkpoint '{checkpoint}' at step {point.Step}", point.Step, point.At));
            }
        }
        ScheduleEmit(state);
    }

    /// <summary>Arranges one emission at the earliest time the throttle allows, unless one is already arranged.</summary>
    private void ScheduleEmit(RunLiveState state)
    {
        TimeSpan wait;
        lock (state.Gate)
        {
            if (state.EmitScheduled) return;
            state.EmitScheduled = true;
            wait = TimeSpan.FromMilliseconds(Math.Max(0, state.LastEmitAt + options.PublishInterval.TotalMilliseconds - Environment.TickCount64));
        }
        // Never on the trainer's thread: sending awaits the network.
        _ = Task.Run(async () =>
        {
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                await EmitAsync(state, force: false);
            }
            catch (Exception ex) { logger.LogWarning(ex, "Publishing progress of run {RunId} failed", state.RunId); }
        });
    }

    internal static bool IsBest(string checkpoint) => Path.GetFileName(checkpoint.TrimEnd('/', '\\')) == "best";

    /// <summary>Writes everything buffered for the run to the database and pushes the pending steps now.</summary>
    public async Task FlushAsync(int runId)
    {
        if (!live.TryGetValue(runId, out var state)) return;
        await FlushToDatabaseAsync(state);
        await EmitAsync(state, force: false);
    }

    /// <summary>Flushes the run, publishes its final status and stops tracking it. The caller then updates the row's status.</summary>
    public async Task EndRunAsync(int runId, TrainingRunStatus status, string? error)
    {
        if (!live.TryGetValue(runId, out var state)) return;
        await FlushToDatabaseAsync(state);
        lock (state.Gate)
        {
            state.Status = status;
            state.Error = error;
            state.EtaSeconds = null;
        }
        await EmitAsync(state, force: true);
        live.TryRemove(runId, out _);
    }

    /// <summary>
    /// Stops tracking a run another worker has taken over (this one lost its lease): buffered steps are dropped, not
    /// written, and no status is published, so nothing here contradicts the new worker's rows.
    /// </summary>
    public void AbandonRun(int runId) => live.TryRemove(runId, out _);

    /// <summary>Publishes a status change of a run that is not training here (queued, cancelled before start, ...).</summary>
    public Task PublishStatusAsync(TrainingRun run) => PublishStatusAsync(run, run.Status);

    /// <summary>As <see cref="PublishStatusAsync(TrainingRun)"/>, for a row read before its status changed to <paramref name="status"/>.</summary>
    public Task PublishStatusAsync(TrainingRun run, TrainingRunStatus status)
    {
        var message = new RunProgressMessage(run.Id, run.CurrentStep + 1, run.CurrentStep, [], status, run.TotalSteps, null,
            run.LastCheckpointPath, null, run.ErrorText);
        return SendAsync(message);
    }

    /// <summary>Steps after <paramref name="afterStep"/> not yet committed to the database, in step order.</summary>
    public IReadOnlyList<RunStepPoint> Buffered(int runId, long afterStep)
    {
        if (!live.TryGetValue(runId, out var state)) return [];
        lock (state.Gate) return state.Unflushed.Where(p => p.Step > afterStep).ToList();
    }

    /// <summary>
    /// Every step after <paramref name="afterStep"/>: the buffer is read BEFORE the database, so a step flushed in
    /// between is found in the database and none falls between the two reads.
    /// </summary>
    public async Task<IReadOnlyList<RunStepPoint>> HistoryAsync(int runId, long afterStep, CancellationToken ct = default)
    {
        var buffered = Buffered(runId, afterStep);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.RunStepMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Step > afterStep)
            .OrderBy(m => m.Step).ToListAsync(ct);
        var byStep = new SortedDictionary<long, RunStepPoint>();
        foreach (var row in stored) byStep[row.Step] = RunStepPoint.FromRow(row);
        foreach (var point in buffered) byStep[point.Step] = point;
        return [.. byStep.Values];
    }

    /// <summary>Calls <paramref name="handler"/> for every message of run <paramref name="runId"/> until disposed (Blazor components).</summary>
    public IDisposable Subscribe(int runId, Func<RunProgressMessage, Task> handler)
    {
        lock (handlersGate)
        {
            var copy = new Dictionary<int, Func<RunProgressMessage, Task>[]>(runHandlers);
            copy[runId] = [.. copy.GetValueOrDefault(runId, []), handler];
            runHandlers = copy;
        }
        return new Subscription(() =>
        {
            lock (handlersGate)
            {
                var copy = new Dictionary<int, Func<RunProgressMessage, Task>[]>(runHandlers);
                var left = copy.GetValueOrDefault(runId, []).Where(h => h != handler).ToArray();
                if (left.Length == 0) copy.Remove(runId); else copy[runId] = left;
                runHandlers = copy;
            }
        });
    }

    /// <summary>Calls <paramref name="handler"/> for every message of every run until disposed (run lists).</summary>
    public IDisposable SubscribeAll(Func<RunProgressMessage, Task> handler)
    {
        lock (handlersGate) allHandlers = [.. allHandlers, handler];
        return new Subscription(() => { lock (handlersGate) allHandlers = allHandlers.Where(h => h != handler).ToArray(); });
    }

    /// <summary>Live in-process subscriptions (components that forgot to dispose show up here).</summary>
    internal int SubscriberCount => allHandlers.Length + runHandlers.Values.Sum(h => h.Length);

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(options.PublishInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var now = Environment.TickCount64;
                var states = live.Values.ToList();
                await Task.WhenAll(states.Select(async s =>
                {
                    try
                    {
                        if (now - s.FlushedAt >= options.MetricsFlushInterval.TotalMilliseconds) await FlushToDatabaseAsync(s);
                        if (LogChanged(s)) ScheduleEmit(s); // new log lines without a new step (e.g. validation running)
                    }
                    catch (Exception ex) { logger.LogWarning(ex, "Publishing progress of run {RunId} failed", s.RunId); }
                }));
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>One message with the steps gathered since the last one; nothing when nothing changed.</summary>
    private async Task EmitAsync(RunLiveState state, bool force)
    {
        await state.EmitGate.WaitAsync();
        try
        {
            List<RunStepPoint> points;
            RunProgressMessage message;
            var tail = ReadLogTailIfChanged(state);
            lock (state.Gate)
            {
                state.EmitScheduled = false; // from here on a new step arranges the next message
                if (state.PendingLive.Count == 0 && !force && tail is null && state.Checkpoint == state.SentCheckpoint) return;
                state.LastEmitAt = Environment.TickCount64;
                points = state.PendingLive;
                state.PendingLive = [];
                state.SentCheckpoint = state.Checkpoint;
                var from = points.Count > 0 ? points[0].Step : state.LastStep + 1;
                var to = points.Count > 0 ? points[^1].Step : state.LastStep;
                message = new RunProgressMessage(state.RunId, from, to, points, state.Status, state.TotalSteps, state.EtaSeconds,
                    state.Checkpoint, tail, state.Error);
            }
            await SendAsync(message);
        }
        finally
        {
            state.EmitGate.Release();
        }
    }

    private async Task SendAsync(RunProgressMessage message)
    {
        Func<RunProgressMessage, Task>[] handlers;
        lock (handlersGate) handlers = [.. runHandlers.GetValueOrDefault(message.RunId, []), .. allHandlers];
        foreach (var handler in handlers) _ = ObserveAsync(handler, message);
        try { await hub.Clients.Group(RunsHub.GroupName(message.RunId)).SendAsync(RunsHub.ProgressEvent, message); }
        catch (Exception ex) { logger.LogWarning(ex, "Sending progress of run {RunId} to the hub failed", message.RunId); }
    }

    private async Task ObserveAsync(Func<RunProgressMessage, Task> handler, RunProgressMessage message)
    {
        try { await handler(message); }
        catch (Exception ex) { logger.LogWarning(ex, "A progress subscriber failed for run {RunId}", message.RunId); }
    }

    /// <summary>Commits buffered steps, events and the row's running figures in one transaction, then drops them from the buffer.</summary>
    private async Task FlushToDatabaseAsync(RunLiveState state)
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

    private static bool LogChanged(RunLiveState state)
    {
        if (state.RunFolder is null) return false;
        var file = new FileInfo(Path.Combine(state.RunFolder, "log.txt"));
        return file.Exists && file.Length != state.LogLength;
    }

    private IReadOnlyList<string>? ReadLogTailIfChanged(RunLiveState state)
    {
        if (state.RunFolder is null || options.LogTailLines <= 0) return null;
        var file = new FileInfo(Path.Combine(state.RunFolder, "log.txt"));
        if (!file.Exists || file.Length == state.LogLength) return null;
        state.LogLength = file.Length;
        return LogTail.Read(file.FullName, options.LogTailLines);
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        await loop;
        stop.Dispose();
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) dispose();
        }
    }

    /// <summary>What the publisher holds for one running run. Fields under <see cref="Gate"/>.</summary>
    private sealed class RunLiveState(int runId, long startStep, long totalSteps, string? runFolder, string? checkpoint, double? best)
    {
        public int RunId { get; } = runId;
        public string? RunFolder { get; } = runFolder;
        public Lock Gate { get; } = new();
        public SemaphoreSlim EmitGate { get; } = new(1, 1);
        public SemaphoreSlim FlushGate { get; } = new(1, 1);
        public List<RunStepPoint> PendingLive { get; set; } = [];
        public List<RunStepPoint> Unflushed { get; } = [];
        public List<RunEvent> Events { get; } = [];
        public TrainingRunStatus Status { get; set; } = TrainingRunStatus.Running;
        public string? Error { get; set; }
        public long LastStep { get; set; } = startStep;
        public long TotalSteps { get; set; } = totalSteps;
        public double? EtaSeconds { get; set; }
        public double? LastLoss { get; set; }
        public double? BestValDice { get; set; } = best;
        public string? Checkpoint { get; set; } = checkpoint;
        public string? SentCheckpoint { get; set; } = checkpoint;
        public string? BestCheckpoint { get; set; }
        public long FlushedAt { get; set; } = Environment.TickCount64;
        public long LogLength { get; set; } = -1;
        public bool EmitScheduled { get; set; }
        public long LastEmitAt { get; set; } = long.MinValue / 2;
    }
}

using System.Collections.Concurrent;
using MedSeg.Data.Entities;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Features.Runs.Live;

/// <summary>
/// The SignalR feed of runs: the steps <see cref="RunLiveBuffer"/> gathered per run go out as one
/// <see cref="RunProgressMessage"/> to the hub group <c>run-&lt;id&gt;</c> and to in-process subscribers
/// (<see cref="ProgressNotifier{THub, TMessage}"/>): at once when the run's previous message is at least
/// <see cref="TrainingOptions.PublishInterval"/> old, otherwise when it will be (a leading-edge throttle: never more than
/// one message per interval, and an isolated step is not held back). Every interval it also notices new log lines.
/// </summary>
public sealed class RunProgressFeed : ProgressNotifier<RunsHub, RunProgressMessage>, IAsyncDisposable
{
    private readonly TrainingOptions options;
    private readonly ILogger<RunProgressFeed> logger;
    private readonly ConcurrentDictionary<int, RunLiveState> followed = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public RunProgressFeed(IHubContext<RunsHub> hub, IOptions<TrainingOptions> options, ILogger<RunProgressFeed> logger) : base(hub, logger)
    {
        this.options = options.Value;
        this.logger = logger;
        loop = Task.Run(LoopAsync);
    }

    protected override int KeyOf(RunProgressMessage message) => message.RunId;
    protected override string GroupOf(int key) => RunsHub.GroupName(key);
    protected override string EventName => RunsHub.ProgressEvent;

    /// <summary>Publishes a status change of a run that is not training here (queued, cancelled before start, ...).</summary>
    public Task PublishStatusAsync(TrainingRun run) => PublishStatusAsync(run, run.Status);

    /// <summary>As <see cref="PublishStatusAsync(TrainingRun)"/>, for a row read before its status changed to <paramref name="status"/>.</summary>
    public Task PublishStatusAsync(TrainingRun run, TrainingRunStatus status) =>
        PublishAsync(new RunProgressMessage(run.Id, run.CurrentStep + 1, run.CurrentStep, [], status, run.TotalSteps, null,
            run.LastCheckpointPath, null, run.ErrorText));

    internal void Follow(RunLiveState state) => followed[state.RunId] = state;

    internal void Unfollow(int runId) => followed.TryRemove(runId, out _);

    /// <summary>Arranges one message at the earliest time the throttle allows, unless one is already arranged.</summary>
    internal void ScheduleEmit(RunLiveState state)
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

    /// <summary>One message with the steps gathered since the last one; nothing when nothing changed, unless <paramref name="force"/>.</summary>
    internal async Task EmitAsync(RunLiveState state, bool force)
    {
        await state.EmitGate.WaitAsync();
        try
        {
            RunProgressMessage message;
            var tail = ReadLogTailIfChanged(state);
            lock (state.Gate)
            {
                state.EmitScheduled = false; // from here on a new step arranges the next message
                if (state.PendingLive.Count == 0 && !force && tail is null && state.Checkpoint == state.SentCheckpoint) return;
                state.LastEmitAt = Environment.TickCount64;
                var points = state.PendingLive;
                state.PendingLive = [];
                state.SentCheckpoint = state.Checkpoint;
                var from = points.Count > 0 ? points[0].Step : state.LastStep + 1;
                var to = points.Count > 0 ? points[^1].Step : state.LastStep;
                message = new RunProgressMessage(state.RunId, from, to, points, state.Status, state.TotalSteps, state.EtaSeconds,
                    state.Checkpoint, tail, state.Error);
            }
            await PublishAsync(message);
        }
        finally
        {
            state.EmitGate.Release();
        }
    }

    private Task PublishAsync(RunProgressMessage message)
    {
        NotifySubscribers(message);
        return SendToHubAsync(message);
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(options.PublishInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
                foreach (var state in followed.Values)
                {
                    try { if (LogChanged(state)) ScheduleEmit(state); } // new log lines without a new step (e.g. validation running)
                    catch (IOException ex) { logger.LogWarning(ex, "Reading the log of run {RunId} failed", state.RunId); }
                }
        }
        catch (OperationCanceledException) { }
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
}

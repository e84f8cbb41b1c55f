namespace MedSeg.Web.Runs;

/// <summary>
/// In-process coordination between request handlers and <see cref="TrainingHostedService"/>: wakes the service when a
/// run is queued, and stops running trainers (pause or cancel) at their next step boundary. The queue itself is the database.
/// </summary>
public sealed class TrainingQueue
{
    private readonly SemaphoreSlim signal = new(0, int.MaxValue);
    private readonly Lock gate = new();
    private readonly Dictionary<int, (CancellationTokenSource Cts, RunStopReason Reason)> running = [];
    private readonly Dictionary<int, RunStopReason> early = [];

    /// <summary>Wakes the training service to look at the queue now.</summary>
    public void Signal() => signal.Release();

    /// <summary>Waits for <see cref="Signal"/> or <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await signal.WaitAsync(timeout, cancellationToken);
        while (signal.CurrentCount > 0) signal.Wait(0); // a burst of signals is one pass
    }

    /// <summary>Ids of runs training in this process now.</summary>
    public IReadOnlyList<int> RunningIds { get { lock (gate) return [.. running.Keys]; } }

    internal void BeginRun(int id, CancellationTokenSource cts)
    {
        lock (gate)
        {
            var reason = early.Remove(id, out var r) ? r : RunStopReason.None;
            running[id] = (cts, reason);
            if (reason != RunStopReason.None) cts.Cancel();
        }
    }

    /// <summary>Why the run was stopped (None when it was not asked to).</summary>
    internal RunStopReason EndRun(int id)
    {
        lock (gate)
        {
            early.Remove(id);
            return running.Remove(id, out var r) ? r.Reason : RunStopReason.None;
        }
    }

    /// <summary>
    /// Stops run <paramref name="id"/> at its next step boundary, or as soon as it starts (it may have been claimed but
    /// not begun). A cancel overrides an earlier pause, never the other way round.
    /// </summary>
    public void RequestStop(int id, RunStopReason reason)
    {
        lock (gate)
        {
            if (running.TryGetValue(id, out var r))
            {
                if (r.Reason != RunStopReason.Cancel) running[id] = (r.Cts, reason);
                r.Cts.Cancel();
            }
            else if (!early.TryGetValue(id, out var e) || e != RunStopReason.Cancel) early[id] = reason;
        }
    }

    /// <summary>Forgets an earlier stop request, before a run is queued again.</summary>
    public void ClearStop(int id)
    {
        lock (gate) early.Remove(id);
    }
}

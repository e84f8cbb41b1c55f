using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Runs.Execution;

/// <summary>
/// In-process coordination between request handlers and <see cref="TrainingHostedService"/>: wakes the service when a
/// run is queued (<see cref="WakeSignal"/>), and stops trainers running in THIS process (pause or cancel) at their next step boundary at once.
/// The queue itself and the durable stop request (<c>TrainingRun.RequestedAction</c>) are in the database, which the
/// service polls, so requests also reach runs claimed but not yet begun here, or executing in another process.
/// </summary>
public sealed class TrainingQueue : WakeSignal
{
    private readonly Lock gate = new();
    private readonly Dictionary<int, (CancellationTokenSource Cts, RunStopReason Reason)> running = [];

    /// <summary>Ids of runs training in this process now.</summary>
    public IReadOnlyList<int> RunningIds { get { lock (gate) return [.. running.Keys]; } }

    internal void BeginRun(int id, CancellationTokenSource cts)
    {
        lock (gate) running[id] = (cts, RunStopReason.None);
    }

    /// <summary>Why the run was stopped (None when it was not asked to).</summary>
    internal RunStopReason EndRun(int id)
    {
        lock (gate) return running.Remove(id, out var r) ? r.Reason : RunStopReason.None;
    }

    /// <summary>
    /// Stops run <paramref name="id"/> at its next step boundary when it trains in this process; false otherwise (the
    /// database request reaches it). A cancel overrides an earlier pause, never the other way round.
    /// </summary>
    public bool RequestStop(int id, RunStopReason reason)
    {
        lock (gate)
        {
            if (!running.TryGetValue(id, out var r)) return false;
            if (r.Reason != RunStopReason.Cancel) running[id] = (r.Cts, reason);
            r.Cts.Cancel();
            return true;
        }
    }
}

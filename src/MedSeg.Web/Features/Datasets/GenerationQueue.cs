using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Datasets;

/// <summary>
/// In-process coordination between request handlers and <see cref="DatasetGenerationService"/>: wakes the service
/// when a dataset is queued (<see cref="WakeSignal"/>), and cancels the running generation on request. The queue itself
/// is the database.
/// </summary>
public sealed class GenerationQueue : WakeSignal
{
    private readonly Lock gate = new();
    private readonly HashSet<int> cancelRequested = [];
    private (int Id, CancellationTokenSource Cts)? running;

    /// <summary>The id of the dataset being generated now, if any.</summary>
    public int? RunningId { get { lock (gate) return running?.Id; } }

    internal void BeginRun(int id, CancellationTokenSource cts)
    {
        lock (gate)
        {
            running = (id, cts);
            if (cancelRequested.Remove(id)) cts.Cancel();
        }
    }

    internal void EndRun(int id)
    {
        lock (gate)
        {
            if (running?.Id == id) running = null;
            cancelRequested.Remove(id);
        }
    }

    /// <summary>
    /// Cancels dataset <paramref name="id"/> if it is running, or as soon as it starts (it may have been claimed but not begun).
    /// </summary>
    public void RequestCancel(int id)
    {
        lock (gate)
        {
            if (running is { } r && r.Id == id) r.Cts.Cancel();
            else cancelRequested.Add(id);
        }
    }

    /// <summary>Forgets an earlier cancel request, before a dataset is queued again.</summary>
    public void ClearCancel(int id)
    {
        lock (gate) cancelRequested.Remove(id);
    }
}

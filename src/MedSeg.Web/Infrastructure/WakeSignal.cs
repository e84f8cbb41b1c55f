namespace MedSeg.Web.Infrastructure;

/// <summary>
/// Wakes a background worker whose queue is in the database (training runs, dataset generation): request handlers
/// <see cref="Signal"/> after queueing; the worker <see cref="WaitAsync"/>s between polls. A burst of signals is one pass.
/// </summary>
public class WakeSignal
{
    private readonly SemaphoreSlim signal = new(0, int.MaxValue);

    /// <summary>Wakes the worker to look at its queue now.</summary>
    public void Signal() => signal.Release();

    /// <summary>Waits for <see cref="Signal"/> or <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await signal.WaitAsync(timeout, cancellationToken);
        while (signal.CurrentCount > 0) signal.Wait(0); // collapse a burst of signals into one pass
    }
}

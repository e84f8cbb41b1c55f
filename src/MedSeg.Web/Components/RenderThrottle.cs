namespace MedSeg.Web.Components;

/// <summary>
/// Limits re-renders driven by background events to one per <see cref="Interval"/> (default 200 ms = 5/s), always
/// rendering the last event (trailing edge). Owned by a component and disposed with it.
/// </summary>
public sealed class RenderThrottle(Func<Task> render, TimeSpan? interval = null) : IDisposable
{
    private readonly CancellationTokenSource disposed = new();
    private readonly Lock gate = new();
    private long lastRenderTicks;
    private bool scheduled;

    public TimeSpan Interval { get; } = interval ?? TimeSpan.FromMilliseconds(200);

    /// <summary>Asks for a render: now if the last was long enough ago, else once at the end of the interval.</summary>
    public Task RequestAsync()
    {
        TimeSpan wait;
        lock (gate)
        {
            if (scheduled || disposed.IsCancellationRequested) return Task.CompletedTask;
            var since = TimeSpan.FromTicks(Environment.TickCount64 * TimeSpan.TicksPerMillisecond - lastRenderTicks);
            wait = since >= Interval ? TimeSpan.Zero : Interval - since;
            scheduled = true;
        }
        return RenderAfter(wait);
    }

    private async Task RenderAfter(TimeSpan wait)
    {
        try
        {
            if (wait > TimeSpan.Zero) await Task.Delay(wait, disposed.Token);
        }
        catch (OperationCanceledException) { return; }
        lock (gate)
        {
            scheduled = false;
            lastRenderTicks = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        }
        if (!disposed.IsCancellationRequested) await render();
    }

    public void Dispose()
    {
        // Not disposed: a pending delay may still read the token; cancelling is enough.
        disposed.Cancel();
    }
}

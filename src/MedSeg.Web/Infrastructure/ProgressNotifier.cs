using Microsoft.AspNetCore.SignalR;

namespace MedSeg.Web.Infrastructure;

/// <summary>
/// The one progress-notifier design (datasets, runs): a message goes to in-process subscribers (Blazor components; one
/// item or all items) and to the hub group of its item. Publishing never blocks on a subscriber: handlers are started,
/// not awaited, and their failures logged; a failed hub send is logged, never thrown.
/// </summary>
/// <typeparam name="TMessage">The message; <see cref="KeyOf"/> names its item (dataset id, run id).</typeparam>
public abstract class ProgressNotifier<THub, TMessage>(IHubContext<THub> hub, ILogger logger) where THub : Hub
{
    private readonly Lock gate = new();
    // Copy-on-write: publishing reads a snapshot without locking.
    private Dictionary<int, Func<TMessage, Task>[]> itemHandlers = [];
    private Func<TMessage, Task>[] allHandlers = [];

    /// <summary>The item a message is about.</summary>
    protected abstract int KeyOf(TMessage message);

    /// <summary>The hub group of an item's watchers.</summary>
    protected abstract string GroupOf(int key);

    /// <summary>The hub event name of the messages.</summary>
    protected abstract string EventName { get; }

    /// <summary>Calls <paramref name="handler"/> for every message about item <paramref name="key"/> until disposed.</summary>
    public IDisposable Subscribe(int key, Func<TMessage, Task> handler)
    {
        lock (gate) itemHandlers = new(itemHandlers) { [key] = [.. itemHandlers.GetValueOrDefault(key, []), handler] };
        return new Subscription(() =>
        {
            lock (gate)
            {
                var copy = new Dictionary<int, Func<TMessage, Task>[]>(itemHandlers);
                var left = copy.GetValueOrDefault(key, []).Where(h => h != handler).ToArray();
                if (left.Length == 0) copy.Remove(key); else copy[key] = left;
                itemHandlers = copy;
            }
        });
    }

    /// <summary>Calls <paramref name="handler"/> for every message until disposed (lists, dashboards).</summary>
    public IDisposable SubscribeAll(Func<TMessage, Task> handler)
    {
        lock (gate) allHandlers = [.. allHandlers, handler];
        return new Subscription(() => { lock (gate) allHandlers = allHandlers.Where(h => h != handler).ToArray(); });
    }

    /// <summary>Live in-process subscriptions (components that forgot to dispose show up here).</summary>
    internal int SubscriberCount => allHandlers.Length + itemHandlers.Values.Sum(h => h.Length);

    /// <summary>Starts the in-process handlers of the message's item and of all items (not awaited).</summary>
    protected void NotifySubscribers(TMessage message)
    {
        Func<TMessage, Task>[] handlers = [.. itemHandlers.GetValueOrDefault(KeyOf(message), []), .. allHandlers];
        foreach (var handler in handlers) _ = ObserveAsync(handler, message);
    }

    /// <summary>Sends the message to the hub group of its item.</summary>
    protected async Task SendToHubAsync(TMessage message)
    {
        var key = KeyOf(message);
        try { await hub.Clients.Group(GroupOf(key)).SendAsync(EventName, message); }
        catch (Exception ex) { logger.LogWarning(ex, "Sending progress of {Group} to the hub failed", GroupOf(key)); }
    }

    private async Task ObserveAsync(Func<TMessage, Task> handler, TMessage message)
    {
        try { await handler(message); }
        catch (Exception ex) { logger.LogWarning(ex, "A progress subscriber failed for {Group}", GroupOf(KeyOf(message))); }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) dispose();
        }
    }
}

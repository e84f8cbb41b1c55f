using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace MedSeg.Web.Features.Datasets;

/// <summary>
/// Fans generation progress out to in-process subscribers (Blazor components) and to the SignalR hub's
/// per-dataset group. Publishing never blocks on a subscriber: handlers are started and their failures logged;
/// hub messages go out one at a time from a queue, so SignalR clients see them in publishing order.
/// </summary>
public sealed class DatasetProgressNotifier : IDisposable
{
    private readonly IHubContext<DatasetsHub> hub;
    private readonly ILogger<DatasetProgressNotifier> logger;
    private readonly Lock gate = new();
    private readonly Channel<DatasetProgress> outbox = Channel.CreateUnbounded<DatasetProgress>(new UnboundedChannelOptions { SingleReader = true });
    private ImmutableHandlers handlers = new([]);

    public DatasetProgressNotifier(IHubContext<DatasetsHub> hub, ILogger<DatasetProgressNotifier> logger)
    {
        this.hub = hub;
        this.logger = logger;
        _ = Task.Run(PumpAsync);
    }

    /// <summary>Calls <paramref name="handler"/> for every published snapshot until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Func<DatasetProgress, Task> handler)
    {
        lock (gate) handlers = new([.. handlers.Items, handler]);
        return new Subscription(this, handler);
    }

    /// <summary>Live subscriptions (components that forgot to dispose show up here).</summary>
    internal int SubscriberCount => handlers.Items.Length;

    public void Publish(DatasetProgress progress)
    {
        foreach (var handler in handlers.Items)
            _ = Observe(handler, progress);
        outbox.Writer.TryWrite(progress);
    }

    private async Task PumpAsync()
    {
        await foreach (var progress in outbox.Reader.ReadAllAsync())
            await SendToHub(progress);
    }

    public void Dispose() => outbox.Writer.TryComplete();

    private async Task Observe(Func<DatasetProgress, Task> handler, DatasetProgress progress)
    {
        try { await handler(progress); }
        catch (Exception ex) { logger.LogWarning(ex, "A progress subscriber failed for dataset {DatasetId}", progress.DatasetId); }
    }

    private async Task SendToHub(DatasetProgress progress)
    {
        try { await hub.Clients.Group(DatasetsHub.GroupName(progress.DatasetId)).SendAsync(DatasetsHub.ProgressEvent, progress); }
        catch (Exception ex) { logger.LogWarning(ex, "Sending progress of dataset {DatasetId} to the hub failed", progress.DatasetId); }
    }

    private void Unsubscribe(Func<DatasetProgress, Task> handler)
    {
        lock (gate) handlers = new(handlers.Items.Where(h => h != handler).ToArray());
    }

    // Copy-on-write list: publishing iterates a snapshot without locking.
    private sealed record ImmutableHandlers(Func<DatasetProgress, Task>[] Items);

    private sealed class Subscription(DatasetProgressNotifier owner, Func<DatasetProgress, Task> handler) : IDisposable
    {
        private int disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) owner.Unsubscribe(handler);
        }
    }
}

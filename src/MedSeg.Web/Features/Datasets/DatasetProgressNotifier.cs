using System.Threading.Channels;
using MedSeg.Web.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace MedSeg.Web.Features.Datasets;

/// <summary>
/// Generation progress for in-process subscribers and the hub group <c>dataset-&lt;id&gt;</c> (see
/// <see cref="ProgressNotifier{THub, TMessage}"/>). <see cref="Publish"/> is called on the generation thread and never
/// waits: hub messages go out one at a time from a queue, so SignalR clients see them in publishing order.
/// </summary>
public sealed class DatasetProgressNotifier : ProgressNotifier<DatasetsHub, DatasetProgress>, IDisposable
{
    private readonly Channel<DatasetProgress> outbox = Channel.CreateUnbounded<DatasetProgress>(new UnboundedChannelOptions { SingleReader = true });

    public DatasetProgressNotifier(IHubContext<DatasetsHub> hub, ILogger<DatasetProgressNotifier> logger) : base(hub, logger)
    {
        _ = Task.Run(PumpAsync);
    }

    protected override int KeyOf(DatasetProgress message) => message.DatasetId;
    protected override string GroupOf(int key) => DatasetsHub.GroupName(key);
    protected override string EventName => DatasetsHub.ProgressEvent;

    public void Publish(DatasetProgress progress)
    {
        NotifySubscribers(progress);
        outbox.Writer.TryWrite(progress);
    }

    private async Task PumpAsync()
    {
        await foreach (var progress in outbox.Reader.ReadAllAsync())
            await SendToHubAsync(progress);
    }

    public void Dispose() => outbox.Writer.TryComplete();
}

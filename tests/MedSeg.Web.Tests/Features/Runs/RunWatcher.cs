using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// A SignalR client following the catch-up protocol of Runs/README.md: handler first, then Subscribe(runId, newest step),
/// merging answer and messages by step. Records every live message per connection for ordering checks.
/// </summary>
public sealed class RunWatcher(PortalFactory factory, string cookie, int runId) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, RunStepPoint> points = new();
    private HubConnection? connection;
    private readonly TaskCompletionSource<TrainingRunStatus> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Live messages per connection (index 0 = first connection), in arrival order.</summary>
    public List<ConcurrentQueue<RunProgressMessage>> Connections { get; } = [];

    /// <summary>The Subscribe answers, one per connection.</summary>
    public List<RunSubscription> Answers { get; } = [];

    public long NewestStep => points.IsEmpty ? 0 : points.Keys.Max();
    public IReadOnlyList<long> Steps => [.. points.Keys.Order()];
    public Task<TrainingRunStatus> Ended => ended.Task;

    public async Task ConnectAsync()
    {
        var messages = new ConcurrentQueue<RunProgressMessage>();
        Connections.Add(messages);
        connection = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, RunsHub.Path.TrimStart('/')), options =>
            {
                options.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                options.Headers["Cookie"] = cookie;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        connection.On<RunProgressMessage>(RunsHub.ProgressEvent, m =>
        {
            messages.Enqueue(m);
            Merge(m.Points);
            if (m.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed or TrainingRunStatus.Cancelled) ended.TrySetResult(m.Status);
        });
        await connection.StartAsync();
        var answer = await connection.InvokeAsync<RunSubscription?>(nameof(RunsHub.Subscribe), runId, NewestStep)
            ?? throw new InvalidOperationException($"Subscribe({runId}) answered null.");
        Answers.Add(answer);
        Merge(answer.Points);
        if (answer.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed or TrainingRunStatus.Cancelled) ended.TrySetResult(answer.Status);
    }

    /// <summary>Drops the connection (as a network failure would).</summary>
    public async Task DisconnectAsync()
    {
        if (connection is null) return;
        await connection.DisposeAsync();
        connection = null;
    }

    private void Merge(IEnumerable<RunStepPoint> incoming)
    {
        foreach (var p in incoming) points[p.Step] = p;
    }

    public async ValueTask DisposeAsync() => await DisconnectAsync();
}

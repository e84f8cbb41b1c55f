using System.Collections.Concurrent;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Tests.Features.Datasets;

/// <summary>A SignalR client (as another process would use it) receiving live progress of a real generation.</summary>
public sealed class DatasetsHubTests
{
    [Fact]
    public async Task Subscribe_ThenGenerate_ReceivesProgressForEveryVolumeAndCompletion()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@hub.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        // A dataset cancelled before it started: something to subscribe to before any volume exists (resumed below).
        var dataset = await InsertCancelledDatasetAsync(factory, user.Id, count: 4);

        await using var connection = Connect(factory, account.CookieHeader);
        var received = new ConcurrentQueue<DatasetProgress>();
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<DatasetProgress>(DatasetsHub.ProgressEvent, p =>
        {
            received.Enqueue(p);
            if (p.Status is DatasetStatus.Completed or DatasetStatus.Failed) completed.TrySetResult();
        });
        await connection.StartAsync();
        var snapshot = await connection.InvokeAsync<DatasetProgress?>(nameof(DatasetsHub.Subscribe), dataset.Id);
        Assert.NotNull(snapshot);
        Assert.Equal(DatasetStatus.Cancelled, snapshot.Status);

        using (var scope = factory.Services.CreateScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<DatasetService>().ResumeAsync(user, dataset.Id));
        await completed.Task.WaitAsync(TimeSpan.FromSeconds(90));

        var events = received.ToList();
        Assert.All(events, e => Assert.Equal(dataset.Id, e.DatasetId));
        Assert.Equal(DatasetStatus.Completed, events[^1].Status);
        Assert.Equal(4, events[^1].VolumesDone);
        var running = events.Where(e => e.Status == DatasetStatus.Running && e.VolumesDone > 0).ToList();
        Assert.NotEmpty(running);
        Assert.All(running, e => Assert.True(e.VolumesPerSecond > 0, "a running update after a volume carries a rate"));
        Assert.Equal(running.Select(e => e.VolumesDone).Order(), running.Select(e => e.VolumesDone)); // in order
    }

    [Fact]
    public async Task ProgressMessage_OnTheWire_HasStatusAsName()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@wire.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var dataset = await InsertCancelledDatasetAsync(factory, user.Id, count: 1);
        // A client without the enum converter sees the raw JSON, as a JS client would.
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, DatasetsHub.Path.TrimStart('/')), options =>
            {
                options.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                options.Headers["Cookie"] = account.CookieHeader;
            })
            .Build();
        await connection.StartAsync();

        var snapshot = await connection.InvokeAsync<System.Text.Json.JsonElement>(nameof(DatasetsHub.Subscribe), dataset.Id);

        Assert.Equal("Cancelled", snapshot.GetProperty("status").GetString());
        Assert.Equal(1, snapshot.GetProperty("volumesRequested").GetInt32());
    }

    [Fact]
    public async Task Connect_Anonymous_IsRejected()
    {
        await using var factory = new PortalFactory();
        await using var connection = Connect(factory, cookie: null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }

    private static async Task<Dataset> InsertCancelledDatasetAsync(PortalFactory factory, string ownerId, int count)
    {
        await using var db = await factory.Db.CreateDbContextAsync();
        var now = DateTime.UtcNow;
        var dataset = new Dataset
        {
            Name = "hub", SpecJson = DatasetTestHelpers.TinySpec().ToJson(), Seed = 3, VolumeCountRequested = count,
            Status = DatasetStatus.Cancelled, OwnerId = ownerId, CreatedUtc = now, UpdatedUtc = now,
        };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync();
        dataset.Path = DataPaths.RelativeDatasetPath(dataset.Id);
        await db.SaveChangesAsync();
        return dataset;
    }

    private static HubConnection Connect(PortalFactory factory, string? cookie) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, DatasetsHub.Path.TrimStart('/')), options =>
            {
                options.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                if (cookie is not null) options.Headers["Cookie"] = cookie;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .Build();
}

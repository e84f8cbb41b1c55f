using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>Validation, permissions and queue order of <see cref="TrainingRunService"/> (the portal's own trainer is off).</summary>
public sealed class TrainingRunServiceTests
{
    [Fact]
    public async Task Create_BadConfigAndData_ListsEveryProblemNamingFieldAndValue()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@runs-validate.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);

        var request = new TrainingRunRequest("bad", """{"model":"NoSuchNet","crop":-4,"batchSize":1,"steps":5,"bogusField":1}""");
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => RunTestHelpers.CreateAsync(factory, user, request));
        Assert.Contains("bogusField", ex.Message); // unknown field named (the JSON reader stops there)
        Assert.Contains("Data: choose a dataset", ex.Message);

        request = new TrainingRunRequest("bad", """{"model":"NoSuchNet","crop":-4,"batchSize":1,"steps":5}""", DatasetId: 999);
        ex = await Assert.ThrowsAsync<ArgumentException>(() => RunTestHelpers.CreateAsync(factory, user, request));
        Assert.Contains("Crop (--crop) must be positive, got -4", ex.Message);
        Assert.Contains("model 'NoSuchNet' is unknown", ex.Message);
        Assert.Contains("DatasetId: no dataset 999", ex.Message);

        await using var db = await factory.Db.CreateDbContextAsync();
        Assert.Empty(db.TrainingRuns); // nothing half-created
    }

    [Fact]
    public async Task Queue_OrdersByPriorityThenPosition_PiMovesAndPrioritises_MemberMayNot()
    {
        await using var factory = new IdlePortalFactory();
        var piAccount = await TestAccounts.RegisterAsync(factory, "pi@runs-queue.test");
        var memberAccount = await TestAccounts.RegisterAsync(factory, "member@runs-queue.test");
        var pi = await DatasetTestHelpers.PortalUserAsync(factory, piAccount.Email);
        var member = await DatasetTestHelpers.PortalUserAsync(factory, memberAccount.Email);
        Assert.True(pi.IsPI);
        Assert.False(member.IsPI);

        var a = await RunTestHelpers.CreateAsync(factory, member, RunTestHelpers.TinyRequest("a", 3));
        var b = await RunTestHelpers.CreateAsync(factory, member, RunTestHelpers.TinyRequest("b", 3));
        var c = await RunTestHelpers.CreateAsync(factory, member, RunTestHelpers.TinyRequest("c", 3));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            RunTestHelpers.CreateAsync(factory, member, RunTestHelpers.TinyRequest("d", 3) with { Priority = 5 }));

        async Task<int[]> Order() => (await RunTestHelpers.WithServiceAsync(factory, s => s.QueueAsync(pi))).Select(r => r.Id).ToArray();
        Assert.Equal([a.Id, b.Id, c.Id], await Order());

        Assert.False(await RunTestHelpers.WithServiceAsync(factory, s => s.SetPriorityAsync(member, c.Id, 10)));
        Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.SetPriorityAsync(pi, c.Id, 10)));
        Assert.Equal([c.Id, a.Id, b.Id], await Order());

        Assert.False(await RunTestHelpers.WithServiceAsync(factory, s => s.MoveInQueueAsync(member, b.Id, 0)));
        Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.MoveInQueueAsync(pi, b.Id, 0)));
        Assert.Equal([b.Id, c.Id, a.Id], await Order());
        Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.MoveInQueueAsync(pi, b.Id, 2)));
        Assert.Equal([c.Id, a.Id, b.Id], await Order());

        // Paused runs leave the queue; resumed ones join its end (of their priority).
        Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.PauseAsync(member, a.Id)));
        Assert.Equal([c.Id, b.Id], await Order());
        Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.ResumeAsync(member, a.Id)));
        Assert.Equal([c.Id, b.Id, a.Id], await Order());

        var clone = await RunTestHelpers.WithServiceAsync(factory, s => s.CloneAsync(pi, a.Id));
        Assert.NotNull(clone);
        Assert.Equal(a.Id, clone.ClonedFromRunId);
        Assert.Equal(a.ConfigJson, clone.ConfigJson);
        Assert.Equal(pi.Id, clone.OwnerId);
        Assert.Equal([c.Id, b.Id, a.Id, clone.Id], await Order());
    }

    [Fact]
    public async Task HostedService_StartsQueuedRunsByPriority()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@runs-order.test");
        var pi = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var low = await RunTestHelpers.CreateAsync(factory, pi, RunTestHelpers.TinyRequest("low", 2));
        var high = await RunTestHelpers.CreateAsync(factory, pi, RunTestHelpers.TinyRequest("high", 2) with { Priority = 3 });

        // The portal's own service is off; run one by hand against the same database.
        using var service = ManualTrainingService.Create(factory);
        await service.StartAsync(CancellationToken.None);
        var a = await RunTestHelpers.WaitForAsync(factory, low.Id, r => r.Status == TrainingRunStatus.Completed);
        var b = await RunTestHelpers.WaitForAsync(factory, high.Id, r => r.Status == TrainingRunStatus.Completed);
        await service.StopAsync(CancellationToken.None);

        Assert.True(b.StartedAt < a.StartedAt, $"high priority started {b.StartedAt:O}, low {a.StartedAt:O}");
        Assert.True(b.FinishedAt <= a.StartedAt, "one CPU slot: the second run starts after the first ends");
        RunTestHelpers.AssertContiguous(await RunTestHelpers.StepsAsync(factory, low.Id), 2);
        Assert.Equal("cpu", a.Device);
    }
}

using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// Several training services on one database (worker machines): a run belongs to the worker named on its row while that
/// worker renews its lease; another service takes it over only once the lease has lapsed, and exactly once.
/// </summary>
public sealed class WorkerLeaseTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(6); // long enough that a loaded CI machine never lets a live lease lapse

    private static TrainingOptions Worker(string name) => new()
    {
        WorkerName = name, LeaseDuration = Lease, QueuePollInterval = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public async Task AWorkerStartingWhileAnotherTrains_LeavesThatRunAlone_WhoseLeaseKeepsBeingRenewed()
    {
        await using var a = new LeasedWorkerPortalFactory("worker-a");
        var account = await TestAccounts.RegisterAsync(a, "pi@lease.test");
        var user = await DatasetTestHelpers.PortalUserAsync(a, account.Email);
        var run = await RunTestHelpers.CreateAsync(a, user, RunTestHelpers.TinyRequest("held by a", 5000, checkpointEvery: 2));
        var first = await RunTestHelpers.WaitForAsync(a, run.Id, r => r.Status == TrainingRunStatus.Running && r.LastCheckpointPath is not null);
        Assert.Equal("worker-a", first.WorkerName);
        Assert.True(first.LeaseExpiresAt > DateTime.UtcNow, $"lease {first.LeaseExpiresAt:O} already over");

        // Worker b starts on the same database (its own queue: another process) and runs its start-up recovery.
        await using var b = new SharedDatabasePortalFactory(a);
        using var workerB = ManualTrainingService.Create(b, Worker("worker-b"));
        await workerB.Leases.RecoverAsync(CancellationToken.None);
        Assert.Equal(0, await workerB.Leases.RecoverExpiredLeasesAsync(CancellationToken.None));

        // The heartbeat (every third of the lease) moves the lease on; the run keeps training in a, untouched by b.
        // Both are awaited together: on a loaded machine the heartbeat can come before the trainer's next step is stored.
        var renewed = await RunTestHelpers.WaitForAsync(a, run.Id,
            r => r.LeaseExpiresAt > first.LeaseExpiresAt + TimeSpan.FromSeconds(1) && r.CurrentStep > first.CurrentStep || r.Status != TrainingRunStatus.Running,
            TimeSpan.FromSeconds(30));
        Assert.Equal((TrainingRunStatus.Running, "worker-a"), (renewed.Status, renewed.WorkerName));
        Assert.True(renewed.LeaseExpiresAt > first.LeaseExpiresAt + TimeSpan.FromSeconds(1), $"lease {renewed.LeaseExpiresAt:O} not renewed past {first.LeaseExpiresAt:O}");
        Assert.True(renewed.CurrentStep > first.CurrentStep, $"step {renewed.CurrentStep} did not move past {first.CurrentStep}");
        Assert.Equal(0, await workerB.Leases.RecoverExpiredLeasesAsync(CancellationToken.None));
        Assert.DoesNotContain(await RunTestHelpers.EventsAsync(a, run.Id),
            e => e.Kind is RunEventKinds.ResumedAfterRestart or RunEventKinds.Interrupted);

        Assert.True(await RunTestHelpers.WithServiceAsync(a, s => s.CancelAsync(user, run.Id)));
        var cancelled = await RunTestHelpers.WaitForAsync(a, run.Id, r => r.Status == TrainingRunStatus.Cancelled);
        Assert.Equal(((string?)null, (DateTime?)null), (cancelled.WorkerName, cancelled.LeaseExpiresAt)); // released when it stops
    }

    [Fact]
    public async Task LapsedLeases_AreTakenOverExactlyOnce_EvenByTwoWorkersAtOnce_WhileALiveWorkersRunIsKept()
    {
        await using var portal = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(portal, "pi@lapsed.test");
        var user = await DatasetTestHelpers.PortalUserAsync(portal, account.Email);
        var dead = await RunTestHelpers.CreateAsync(portal, user, RunTestHelpers.TinyRequest("worker died", 10));
        var deadCancel = await RunTestHelpers.CreateAsync(portal, user, RunTestHelpers.TinyRequest("cancel asked, then worker died", 10));
        var alive = await RunTestHelpers.CreateAsync(portal, user, RunTestHelpers.TinyRequest("worker alive", 10));
        await using (var db = await portal.Db.CreateDbContextAsync())
        {
            var past = DateTime.UtcNow - TimeSpan.FromMinutes(1);
            await Hold(db, dead.Id, "ghost", past);
            await Hold(db, deadCancel.Id, "ghost", past, RunControlAction.Cancel);
            await Hold(db, alive.Id, "busy", DateTime.UtcNow + TimeSpan.FromMinutes(5));
        }

        // Two live workers sweep at the same moment (each in its own "process": own queue and live buffer).
        await using var other = new SharedDatabasePortalFactory(portal);
        var sweeps = await Task.WhenAll(
            ManualTrainingService.Create(portal, Worker("worker-b")).Leases.RecoverExpiredLeasesAsync(CancellationToken.None),
            ManualTrainingService.Create(other, Worker("worker-c")).Leases.RecoverExpiredLeasesAsync(CancellationToken.None));
        Assert.Equal(2, sweeps.Sum());

        var d = await RunTestHelpers.WaitForAsync(portal, dead.Id, _ => true);
        Assert.Equal((TrainingRunStatus.Interrupted, (string?)null), (d.Status, d.WorkerName)); // no checkpoint: resume starts again
        Assert.Single(await RunTestHelpers.EventsAsync(portal, dead.Id), e => e.Kind == RunEventKinds.Interrupted);
        var c = await RunTestHelpers.WaitForAsync(portal, deadCancel.Id, _ => true);
        Assert.Equal(TrainingRunStatus.Cancelled, c.Status);
        Assert.Single(await RunTestHelpers.EventsAsync(portal, deadCancel.Id), e => e.Kind == RunEventKinds.Cancelled);
        var l = await RunTestHelpers.WaitForAsync(portal, alive.Id, _ => true);
        Assert.Equal((TrainingRunStatus.Running, "busy"), (l.Status, l.WorkerName));

        // A worker's start-up takes back its own runs at once (its crash), lease or not, and leaves the live worker's.
        await using (var db = await portal.Db.CreateDbContextAsync())
            await Hold(db, dead.Id, "worker-b", DateTime.UtcNow + TimeSpan.FromMinutes(5));
        await ManualTrainingService.Create(portal, Worker("worker-b")).Leases.RecoverAsync(CancellationToken.None);
        Assert.Equal(TrainingRunStatus.Interrupted, (await RunTestHelpers.WaitForAsync(portal, dead.Id, _ => true)).Status);
        Assert.Equal(TrainingRunStatus.Running, (await RunTestHelpers.WaitForAsync(portal, alive.Id, _ => true)).Status);
    }

    private static Task<int> Hold(Data.MedSegDbContext db, int id, string worker, DateTime until, RunControlAction? request = null) =>
        db.TrainingRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, TrainingRunStatus.Running)
            .SetProperty(r => r.WorkerName, worker)
            .SetProperty(r => r.LeaseExpiresAt, until)
            .SetProperty(r => r.RequestedAction, request));

    /// <summary>A portal whose training service is worker <paramref name="name"/> with a 3 s lease.</summary>
    private sealed class LeasedWorkerPortalFactory(string name) : PortalFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Training:WorkerName", name);
            builder.UseSetting("Training:LeaseDuration", Lease.ToString());
            builder.UseSetting("Training:ControlPollInterval", "00:00:00.250");
        }
    }
}

using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// Two portal instances on one SQLite database: A trains, B only serves requests. Pause, cancel and priority set through
/// B's <see cref="TrainingRunService"/> reach the runs executing in A through the database.
/// </summary>
public sealed class CrossProcessControlTests
{
    // Far more steps than can run before the requests land (they take effect within ~1 s), even on an idle fast machine.
    private const int Total = 5000;

    [Fact]
    public async Task PauseCancelAndPriority_ThroughAnotherInstance_ReachRunsExecutingInTheTrainingInstance()
    {
        await using var a = new SingleSlotPortalFactory();
        var account = await TestAccounts.RegisterAsync(a, "pi@cross-process.test");
        var user = await DatasetTestHelpers.PortalUserAsync(a, account.Email);
        await using var b = new SharedDatabasePortalFactory(a);
        var viaB = (Func<TrainingRunService, Task<bool>> action) => RunTestHelpers.WithServiceAsync(b, action);

        // Queued through B; A's training service (one run at a time on CPU) picks them up from the shared table.
        var paused = await RunTestHelpers.CreateAsync(b, user, RunTestHelpers.TinyRequest("remote-pause", Total, checkpointEvery: 10_000));
        await RunTestHelpers.WaitForAsync(a, paused.Id, r => r.Status == TrainingRunStatus.Running && r.CurrentStep >= 3);
        // While it trains, two more wait in the queue; the later one is prioritised through B.
        var later = await RunTestHelpers.CreateAsync(b, user, RunTestHelpers.TinyRequest("normal-priority", Total, checkpointEvery: 10_000));
        var urgent = await RunTestHelpers.CreateAsync(b, user, RunTestHelpers.TinyRequest("remote-cancel", Total, checkpointEvery: 10_000));
        Assert.True(await viaB(s => s.SetPriorityAsync(user, urgent.Id, 5)));

        Assert.Contains(paused.Id, a.Services.GetRequiredService<TrainingQueue>().RunningIds);
        Assert.Empty(b.Services.GetRequiredService<TrainingQueue>().RunningIds); // B has no trainer: only the database links them

        Assert.True(await viaB(s => s.PauseAsync(user, paused.Id)));
        var pausedRow = await RunTestHelpers.WaitForAsync(a, paused.Id, r => r.Status != TrainingRunStatus.Running);
        Assert.Equal(TrainingRunStatus.Paused, pausedRow.Status);
        Assert.True(pausedRow.CurrentStep < Total);
        Assert.Null(pausedRow.RequestedAction);
        // The pause checkpoint is at exactly the step reached (checkpointEvery 10,000 never wrote one).
        Assert.Equal($"checkpoints/step-{pausedRow.CurrentStep:D9}", pausedRow.LastCheckpointPath);
        var folder = a.Services.GetRequiredService<DataPaths>().RunDirectory(pausedRow);
        Assert.True(Directory.Exists(Path.Combine(folder, pausedRow.LastCheckpointPath!)));
        RunTestHelpers.AssertContiguous(await RunTestHelpers.StepsAsync(a, paused.Id), pausedRow.CurrentStep);
        Assert.Equal([RunEventKinds.Queued, RunEventKinds.Started, RunEventKinds.PauseRequested, RunEventKinds.Paused],
            (await RunTestHelpers.EventsAsync(a, paused.Id)).Select(e => e.Kind).Where(k => k != RunEventKinds.Checkpointed));

        // The priority set through B decided A's next claim: the later-created urgent run starts before the other.
        await RunTestHelpers.WaitForAsync(a, urgent.Id, r => r.Status == TrainingRunStatus.Running && r.CurrentStep >= 2);
        Assert.Equal(TrainingRunStatus.Queued, (await RunTestHelpers.WaitForAsync(a, later.Id, _ => true)).Status);

        Assert.True(await viaB(s => s.CancelAsync(user, urgent.Id)));
        var cancelledRow = await RunTestHelpers.WaitForAsync(a, urgent.Id, r => r.Status != TrainingRunStatus.Running);
        Assert.Equal(TrainingRunStatus.Cancelled, cancelledRow.Status);
        Assert.NotNull(cancelledRow.FinishedAt);
        Assert.Null(cancelledRow.RequestedAction);
        Assert.True(cancelledRow.CurrentStep < Total);
        RunTestHelpers.AssertContiguous(await RunTestHelpers.StepsAsync(a, urgent.Id), cancelledRow.CurrentStep);
        var urgentEvents = (await RunTestHelpers.EventsAsync(a, urgent.Id)).Select(e => e.Kind).Where(k => k != RunEventKinds.Checkpointed).ToList();
        Assert.Equal([RunEventKinds.Queued, RunEventKinds.PriorityChanged, RunEventKinds.Started, RunEventKinds.CancelRequested, RunEventKinds.Cancelled],
            urgentEvents);
        Assert.False(await viaB(s => s.CancelAsync(user, urgent.Id))); // already over

        // Done with the queue: cancel the last run wherever it is (queued or just started) so the instances stop quickly.
        Assert.True(await viaB(s => s.CancelAsync(user, later.Id)));
        await RunTestHelpers.WaitForAsync(a, later.Id, r => r.Status == TrainingRunStatus.Cancelled);
    }

    [Fact]
    public async Task Recovery_HonoursARequestMadeBeforeTheCrash()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@cross-recover.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var cancelled = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("cancel-then-crash", 10));
        var paused = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("pause-then-crash", 10));
        // Both were running in a process that died right after their requests were stored (no checkpoint yet).
        await using (var db = await factory.Db.CreateDbContextAsync())
        {
            await db.TrainingRuns.Where(r => r.Id == cancelled.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, TrainingRunStatus.Running).SetProperty(r => r.RequestedAction, RunControlAction.Cancel));
            await db.TrainingRuns.Where(r => r.Id == paused.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, TrainingRunStatus.Running).SetProperty(r => r.RequestedAction, RunControlAction.Pause));
        }

        using (var restarted = ManualTrainingService.Create(factory))
            await restarted.RecoverAsync(CancellationToken.None);

        var c = await RunTestHelpers.WaitForAsync(factory, cancelled.Id, _ => true);
        Assert.Equal((TrainingRunStatus.Cancelled, (RunControlAction?)null), (c.Status, c.RequestedAction));
        Assert.NotNull(c.FinishedAt);
        Assert.Equal(RunEventKinds.Cancelled, (await RunTestHelpers.EventsAsync(factory, cancelled.Id))[^1].Kind);
        // Nothing to pause at without a checkpoint: it shows as Interrupted (resume starts again), never trains on by itself.
        var p = await RunTestHelpers.WaitForAsync(factory, paused.Id, _ => true);
        Assert.Equal((TrainingRunStatus.Interrupted, (RunControlAction?)null), (p.Status, p.RequestedAction));
    }

    /// <summary>Trains one run at a time whatever the devices, so the start order of queued runs is observable.</summary>
    private sealed class SingleSlotPortalFactory : PortalFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Training:MaxConcurrentRuns", "1");
        }
    }
}

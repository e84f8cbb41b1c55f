using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Tests.Database;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>Training runs on the PostgreSQL provider: its migration, the queue claim (COALESCE update), batched metric flushes, recovery.</summary>
public sealed class PostgresRunsTests
{
    [PostgresFact]
    public async Task Postgres_QueueTrainRecover_EndToEnd()
    {
        await using var factory = new PostgresPortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@runs-pg.test");
        var pi = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var low = await RunTestHelpers.CreateAsync(factory, pi, RunTestHelpers.TinyRequest("low", 4, checkpointEvery: 2, validationEvery: 2));
        var high = await RunTestHelpers.CreateAsync(factory, pi, RunTestHelpers.TinyRequest("high", 4, checkpointEvery: 2) with { Priority = 2 });

        using (var service = ManualTrainingService.Create(factory))
        {
            await service.StartAsync(CancellationToken.None);
            await RunTestHelpers.WaitForAsync(factory, low.Id, r => r.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed);
            await service.StopAsync(CancellationToken.None);
        }
        var a = await RunTestHelpers.WaitForAsync(factory, low.Id, r => true);
        var b = await RunTestHelpers.WaitForAsync(factory, high.Id, r => true);
        Assert.Equal((TrainingRunStatus.Completed, TrainingRunStatus.Completed), (a.Status, b.Status));
        Assert.True(b.StartedAt < a.StartedAt);
        RunTestHelpers.AssertContiguous(await RunTestHelpers.StepsAsync(factory, low.Id), 4);
        Assert.NotNull(a.FinalValDice);

        // A "crash" while running: recovery finds the checkpoint of step 4 and queues the run again.
        await using (var db = await factory.Db.CreateDbContextAsync())
            await db.TrainingRuns.Where(r => r.Id == low.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, TrainingRunStatus.Running));
        using (var restarted = ManualTrainingService.Create(factory))
            await restarted.RecoverAsync(CancellationToken.None);
        var recovered = await RunTestHelpers.WaitForAsync(factory, low.Id, r => true);
        Assert.Equal(TrainingRunStatus.Queued, recovered.Status);
        Assert.Contains(await RunTestHelpers.EventsAsync(factory, low.Id), e => e.Kind == RunEventKinds.ResumedAfterRestart && e.Step == 4);
    }
}

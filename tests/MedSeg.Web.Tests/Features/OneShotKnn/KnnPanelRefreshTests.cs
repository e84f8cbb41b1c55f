using Bunit;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.Evaluation.OneShot;
using MedSeg.Web.Features.OneShotKnn;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Tests.Features.Downstream;
using MedSeg.Web.Tests.Features.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Web.Tests.Features.OneShotKnn;

/// <summary>
/// The run page's one-shot kNN panel re-reads jobs while one is active. A small evaluation on a fast machine (CI) was
/// queued and done between two of its 1 s ticks: no tick saw it active, the panel never re-read, and its result never
/// appeared (the browser test waited 8 minutes). The panel now also re-reads when the jobs changed since it last looked.
/// </summary>
public sealed class KnnPanelRefreshTests : RunPageTestBase
{
    [Fact]
    public async Task An_evaluation_queued_and_finished_between_two_ticks_still_shows_its_result()
    {
        await SeedAsync(pi: true, Run(1, "pretrain", TrainingRunStatus.Completed));
        var dataset = DownstreamPhantom.Create(DataRoot);
        TrainingRun run;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContextAsync())
            run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == 1);
        var user = new PortalUser(OwnerId, "owner@runs.test", run.LabId, IsPI: true);
        Render<MudBlazor.MudPopoverProvider>();
        var panel = Render<OneShotKnnPanel>(p => p.Add(c => c.Run, run).Add(c => c.User, user));
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // ticks that saw no job

        // Queued (as over the API, or from this panel) and finished before the next tick.
        var job = await Services.GetRequiredService<KnnEvaluations>().SubmitAsync(user, 1, new KnnRequest(dataset, 1, 3, "paper"));
        OneShotKnnStore.Save(job.RunDir, new OneShotKnnReport("run 1", "test", job.Options, ["phantom_000"], [],
            new Dictionary<string, double?> { ["liver"] = 0.625 }, 0.625, 16, 0.1, 0.1, null, null, DateTimeOffset.UtcNow));
        job.State = KnnJobState.Done;

        panel.WaitForAssertion(() => Assert.Equal("0.625", panel.Find("[data-testid=knn-result-mean]").TextContent.Trim()),
            TimeSpan.FromSeconds(10));
        Assert.Empty(panel.FindAll("[data-testid=knn-job]")); // a done job is shown by its result, not as a job line
    }
}

using Bunit;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Features.Runs.Pages;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// The run page opened right after a server restart, before the run resumed: the rows of the last steps before the
/// checkpoint were not flushed when the old process died (the trainer backfills them from its metrics log when it
/// resumes). The page must catch those steps up when live steps arrive after a gap, and list the resume events.
/// </summary>
public sealed class RunPageResumeTests : RunPageTestBase
{
    private static readonly DateTime T0 = DateTime.UtcNow.AddMinutes(-5);

    private static RunStepPoint Point(long step, DateTime? at = null) =>
        new(step, at ?? T0.AddSeconds(step), 1.0 / step, 1e-4, 3, 0.1, 1 << 20, null, null);

    [Fact]
    public async Task RunPage_OpenedWhileQueuedAfterRestart_FillsBackfilledStepsAndShowsResumeEvents()
    {
        var queued = Run(8, "restarted", TrainingRunStatus.Queued);
        queued.CurrentStep = 4;
        await SeedAsync(pi: false, queued);
        await AddMetricsAsync(8, [Point(1), Point(2)]); // steps 3 and 4 died in the old process's buffer
        await AddEventAsync(RunEventKinds.ResumedAfterRestart, 4);
        EnsurePopoverProvider();

        var page = Render<RunDetail>(p => p.Add(c => c.Id, 8));
        page.WaitForAssertion(() =>
        {
            Assert.Equal("Queued", page.Find("[data-testid=run-status]").GetAttribute("data-status"));
            Assert.Equal("4", page.Find("[data-testid=run-step]").TextContent);
            Assert.Equal("2", page.Find("[data-testid=loss-chart]").GetAttribute("data-raw-points"));
            Assert.Equal("4", page.Find("[data-testid=run-event][data-kind=resumed-after-restart]").GetAttribute("data-step"));
        });

        // The trainer claims the run: backfills steps 3..4, records "resumed", publishes Running, then trains on.
        await AddMetricsAsync(8, [Point(3), Point(4)]);
        await AddEventAsync(RunEventKinds.Resumed, 4);
        await SetStatusAsync(8, TrainingRunStatus.Running);
        var buffer = Services.GetRequiredService<RunLiveBuffer>();
        buffer.BeginRun(8, 4, 40, null, "checkpoints/step-000000004", null);
        await Services.GetRequiredService<RunProgressFeed>().PublishStatusAsync(new TrainingRun { Id = 8, Status = TrainingRunStatus.Running, CurrentStep = 4, TotalSteps = 40 });
        var now = DateTime.UtcNow;
        for (var step = 5; step <= 7; step++) buffer.Report(8, Point(step, now.AddSeconds(step)), 40, 60);

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Running", page.Find("[data-testid=run-status]").GetAttribute("data-status"));
            Assert.Equal("7", page.Find("[data-testid=run-step]").TextContent);
            Assert.Equal("7", page.Find("[data-testid=loss-chart]").GetAttribute("data-raw-points"));
            Assert.Equal("4", page.Find("[data-testid=run-event][data-kind=resumed]").GetAttribute("data-step"));
        }, TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (double)i), page.Instance.Series.Steps);
    }

    private async Task AddEventAsync(string kind, long step)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContextAsync();
        db.RunEvents.Add(new RunEvent { RunId = 8, At = DateTime.UtcNow, Kind = kind, Step = step, Message = $"{kind} at {step}" });
        await db.SaveChangesAsync();
    }

    private async Task SetStatusAsync(int id, TrainingRunStatus status)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContextAsync();
        await db.TrainingRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status));
    }
}

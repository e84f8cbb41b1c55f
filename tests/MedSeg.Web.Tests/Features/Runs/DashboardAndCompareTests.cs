using Bunit;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Components.Pages;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Pages;

namespace MedSeg.Web.Tests.Features.Runs;

public sealed class DashboardAndCompareTests : RunPageTestBase
{
    [Fact]
    public async Task Compare_OverlaysEachRunsLossAndDiffsOnlyDifferingSettings()
    {
        var a = Run(1, "a", TrainingRunStatus.Completed);
        var b = Run(2, "b", TrainingRunStatus.Completed);
        b.ConfigJson = a.ConfigJson.Replace("\"batchSize\":2", "\"batchSize\":4");
        await SeedAsync(pi: false, a, b);
        var t0 = DateTime.UtcNow.AddMinutes(-1);
        await AddMetricsAsync(1, Enumerable.Range(1, 30).Select(i => new RunStepPoint(i, t0.AddSeconds(i), 1.0 / i, 1e-4, 1, 0, 0)));
        await AddMetricsAsync(2, Enumerable.Range(1, 20).Select(i => new RunStepPoint(i, t0.AddSeconds(i), 2.0 / i, 1e-4, 1, 0, 0)));
        Services.GetRequiredService<NavigationManager>().NavigateTo("runs/compare?ids=1,2");
        EnsurePopoverProvider();

        var page = Render<RunCompare>();

        page.WaitForAssertion(() => Assert.Equal("50", page.Find("[data-testid=compare-loss-chart]").GetAttribute("data-raw-points")));
        // Legends name the runs (issue 12: they said "#1/#2").
        Assert.Equal("#1 a|#2 b", page.Find("[data-testid=compare-loss-chart]").GetAttribute("data-series"));
        var rows = page.FindAll("[data-testid=config-diff-row]").Select(r => r.GetAttribute("data-key")).ToList();
        Assert.Equal(["batchSize"], rows);
    }

    [Fact]
    public async Task Dashboard_ShowsActiveQueueWithPiControlsRecentFailuresAndDevices()
    {
        var running = Run(1, "training-now", TrainingRunStatus.Running);
        running.CurrentStep = 10;
        running.StartedAt = DateTime.UtcNow;
        var q1 = Run(2, "queued-first", TrainingRunStatus.Queued);
        q1.QueuePosition = 1;
        var q2 = Run(3, "queued-second", TrainingRunStatus.Queued);
        q2.QueuePosition = 2;
        var failed = Run(4, "broke", TrainingRunStatus.Failed);
        failed.ErrorText = "Non-finite loss at step 3";
        failed.FinishedAt = DateTime.UtcNow;
        await SeedAsync(pi: true, running, q1, q2, failed);
        EnsurePopoverProvider();

        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=home-active-run]")));
        Assert.Contains("10 / 40", page.Find("[data-testid=home-active-run]").TextContent);
        var queue = page.FindAll("[data-testid=home-queue-row]");
        Assert.Equal(2, queue.Count);
        Assert.Contains("queued-first", queue[0].TextContent);
        Assert.NotEmpty(queue[0].QuerySelectorAll("button[aria-label='Move down']"));
        Assert.Contains("Non-finite loss at step 3", page.Find("[data-testid=home-recent-run]").TextContent);
        Assert.NotNull(page.Find("[data-testid=device-usage]"));

        await page.InvokeAsync(() => page.FindAll("[data-testid=home-queue-row]")[1].QuerySelector("button[aria-label='Move up']")!.Click());

        page.WaitForAssertion(() => Assert.Contains("queued-second", page.FindAll("[data-testid=home-queue-row]")[0].TextContent));
    }

    [Fact]
    public async Task Dashboard_WithNoRunYet_ShowsTheThreeFirstStepsWithLinks()
    {
        await SeedAsync(pi: true);
        EnsurePopoverProvider();

        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=home-getting-started]")));
        var links = page.FindAll("[data-testid=home-step] a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["datasets/new", "runs/new", "runs/downstream"], links);
    }

    [Fact]
    public async Task Dashboard_WithRuns_HidesTheFirstSteps()
    {
        await SeedAsync(pi: true, Run(1, "done", TrainingRunStatus.Completed));
        EnsurePopoverProvider();

        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=home-recent-run]")));
        Assert.Empty(page.FindAll("[data-testid=home-getting-started]"));
    }
}

using Bunit;
using MedSeg.Data.Entities;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Pages;
using MedSeg.Web.Features.Runs.Components;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Tests.Features.Runs;

public sealed class RunPagesTests : RunPageTestBase
{
    private static readonly DateTime T0 = DateTime.UtcNow.AddMinutes(-5);

    private static RunStepPoint Point(long step) =>
        new(step, T0.AddSeconds(step), 1.0 / step, 1e-4, 3, 0.1, 1 << 20, step % 4 == 0 ? 0.1 * step / 4 : null, step % 4 == 0 ? [0.9, 0.1 * step / 4] : null);

    [Fact]
    public async Task Leaderboard_RanksByBestDiceWithKeySettings_ThenByLastDice()
    {
        await SeedAsync(pi: false,
            Run(1, "low", TrainingRunStatus.Completed, best: 0.30, final: 0.30),
            Run(2, "high", TrainingRunStatus.Completed, best: 0.80, final: 0.20),
            Run(3, "unvalidated", TrainingRunStatus.Running),
            Run(4, "middle", TrainingRunStatus.Failed, best: 0.50, final: 0.45));
        EnsurePopoverProvider();

        var page = Render<RunLeaderboard>();

        page.WaitForAssertion(() => Assert.Equal(["2", "4", "1"], page.FindAll("[data-testid=leaderboard-row]").Select(r => r.GetAttribute("data-run"))));
        Assert.Equal(["0.8000", "0.5000", "0.3000"], page.FindAll("[data-testid=leaderboard-score]").Select(c => c.TextContent));
        Assert.Contains("fs 12 · crop 32³ · batch 2", page.Find("[data-testid=leaderboard-row]").TextContent);

        var select = page.FindComponent<MudBlazor.MudSelect<LeaderboardMetric>>();
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(LeaderboardMetric.LastValidationDice));

        page.WaitForAssertion(() => Assert.Equal(["4", "1", "2"], page.FindAll("[data-testid=leaderboard-row]").Select(r => r.GetAttribute("data-run"))));
    }

    [Fact]
    public async Task RunPage_OpenedMidRun_LoadsHistoryThenContinuesLive()
    {
        await SeedAsync(pi: false, Run(7, "live", TrainingRunStatus.Running));
        await AddMetricsAsync(7, Enumerable.Range(1, 5).Select(i => Point(i)));
        var buffer = Services.GetRequiredService<RunLiveBuffer>();
        buffer.BeginRun(7, 5, 40, null, null, null);
        EnsurePopoverProvider();

        var page = Render<RunDetail>(p => p.Add(c => c.Id, 7));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("5", page.Find("[data-testid=run-step]").TextContent);
            Assert.Equal("5", page.Find("[data-testid=loss-chart]").GetAttribute("data-raw-points"));
        });

        for (var step = 6; step <= 9; step++) buffer.Report(7, Point(step), 40, 120);

        page.WaitForAssertion(() =>
        {
            Assert.Equal("9", page.Find("[data-testid=run-step]").TextContent);
            Assert.Equal("9", page.Find("[data-testid=loss-chart]").GetAttribute("data-raw-points"));
            Assert.Equal("2", page.Find("[data-testid=dice-chart]").GetAttribute("data-raw-points")); // steps 4 and 8
            Assert.Contains("0.200", page.Find("[data-testid=run-class-dice]").TextContent);
        }, TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (double)i), page.Instance.Series.Steps);
    }

    [Fact]
    public async Task RunPage_LongRun_LoadsABoundedHistory_ThenContinuesLiveWithoutAGap()
    {
        Services.Configure<MedSeg.Web.Infrastructure.Options.TrainingOptions>(o => o.ChartHistoryPoints = 400);
        await SeedAsync(pi: false, Run(8, "long", TrainingRunStatus.Running));
        await AddMetricsAsync(8, Enumerable.Range(1, 3000).Select(i => Point(i)));
        var buffer = Services.GetRequiredService<RunLiveBuffer>();
        buffer.BeginRun(8, 3000, 4000, null, null, null);
        EnsurePopoverProvider();

        var page = Render<RunDetail>(p => p.Add(c => c.Id, 8));
        page.WaitForAssertion(() => Assert.Equal("3000", page.Find("[data-testid=loss-chart]").GetAttribute("data-last-x")), TimeSpan.FromSeconds(10));
        var held = page.Instance.Series.Count;
        Assert.InRange(held, 100, 400);
        Assert.Equal(1, page.Instance.Series.Steps[0]);

        for (var step = 3001; step <= 3003; step++) buffer.Report(8, Point(step), 4000, 120);

        page.WaitForAssertion(() => Assert.Equal("3003", page.Find("[data-testid=run-step]").TextContent), TimeSpan.FromSeconds(10));
        // The newest 100 stored steps and the live ones, each once and in order.
        Assert.Equal(Enumerable.Range(2904, 100).Select(i => (double)i), page.Instance.Series.Steps.TakeLast(100));
        Assert.Equal(held + 3, page.Instance.Series.Count);
    }

    [Fact]
    public async Task RunPage_IdChangesInPlace_ShowsTheNewRunAndIgnoresTheOldOnesProgress()
    {
        await SeedAsync(pi: false, Run(1, "first", TrainingRunStatus.Running), Run(2, "second", TrainingRunStatus.Queued));
        await AddMetricsAsync(1, Enumerable.Range(1, 3).Select(i => Point(i)));
        var buffer = Services.GetRequiredService<RunLiveBuffer>();
        buffer.BeginRun(1, 3, 40, null, null, null);
        EnsurePopoverProvider();
        var page = Render<RunDetail>(p => p.Add(c => c.Id, 1));
        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=run-step]").TextContent));

        // The router reuses the page component for runs/1 → runs/2 (e.g. after queueing from a run's page).
        page.Render(p => p.Add(c => c.Id, 2));
        page.WaitForAssertion(() => Assert.Equal("second", page.Find("[data-testid=run-title]").TextContent));
        buffer.Report(1, Point(4), 40, 120);

        await Task.Delay(300); // longer than the publish interval: a late message of run 1 would have arrived
        Assert.Equal("0", page.Find("[data-testid=run-step]").TextContent);
        Assert.Empty(page.Instance.Series.Steps);
    }

    [Fact]
    public async Task RunPage_Owner_SeesPauseAndCancelWhileRunning()
    {
        await SeedAsync(pi: false, Run(3, "mine", TrainingRunStatus.Running));
        EnsurePopoverProvider();

        var page = Render<RunDetail>(p => p.Add(c => c.Id, 3));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=run-pause]")));
        Assert.NotNull(page.Find("[data-testid=run-cancel]"));
        Assert.Empty(page.FindAll("[data-testid=run-resume]"));
        Assert.Equal("runs/new?clone=3", page.Find("[data-testid=run-clone]").GetAttribute("href"));
    }

    [Fact]
    public void Clone_RoundTripsSettingsDataAndTags()
    {
        var draft = new RunDraft { Name = "orig", Tags = "a, b, a", SpecVolumeSize = 64, UseSteps = true, Steps = 123 };
        (draft.Options.Crop, draft.Options.BatchSize, draft.Options.LearningRate) = (64, 2, 3e-4);
        var original = RunCreate.ToRequest(draft);
        var run = new TrainingRun { Name = original.Name, ConfigJson = original.ConfigJson, SpecJson = original.SpecJson, Tags = original.Tags };

        var clone = RunCreate.FromRun(run);

        Assert.Equal("orig (clone)", clone.Name);
        Assert.Equal("a, b", original.Tags);
        Assert.Equal((64, 2, 3e-4, true, 123), (clone.Options.Crop, clone.Options.BatchSize, clone.Options.LearningRate, clone.UseSteps, clone.Steps));
        Assert.Equal(RunDraft.ClonedSpec, clone.SpecPreset);
        Assert.Equal(64, clone.SpecVolumeSize);
        Assert.Empty(clone.Validate());
        Assert.Equal(original.SpecJson, RunCreate.ToRequest(clone).SpecJson);
    }
}

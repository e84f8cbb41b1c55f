using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using MedSeg.Web.E2E.Harness;

namespace MedSeg.Web.E2E;

/// <summary>The kill / restart journey gets a portal process of its own (it kills it; nothing else is queued there).</summary>
[CollectionDefinition(Name)]
public sealed class RunRecoveryPortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "run recovery e2e";
}

/// <summary>
/// A tiny CPU run started from the browser's run form is watched on its run page; once the page shows a checkpoint
/// written and the step moving past it, the portal process is hard-killed (as a crash) and started again on the same
/// database and port. The SAME open page goes through Blazor's reconnect UI and reloads itself; it then shows the run
/// resumed from that checkpoint (events "resumed-after-restart" and "resumed" at the checkpoint step), the step and the
/// loss chart continue from there with one point per step (no gap, no duplicate), the run reaches Completed and is
/// ranked on the leaderboard.
/// </summary>
[Collection(RunRecoveryPortalCollection.Name)]
public sealed class TrainingRunRecoveryTests(PortalFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Email = "recovery@lab.test";
    private const string RunName = "e2e-survives-kill";
    private const int Steps = 24; // 19 steps after the earliest kill: far more than the page lags behind the trainer
    private const int CheckpointEvery = 4;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5); // generous: a loaded 2-core machine

    // Records every (step, chart points, status) the page shows, as the DOM changes; window.__sameDocument marks the
    // document, so a reload is visible to the test.
    private const string RecordJs = @"() => {
        window.__sameDocument = true;
        const seen = [];
        const read = () => {
            const step = document.querySelector('[data-testid=run-step]');
            const chart = document.querySelector('[data-testid=loss-chart]');
            const status = document.querySelector('[data-testid=run-status]');
            if (!step || !chart || !status) return;
            const v = { step: Number(step.textContent), points: Number(chart.dataset.rawPoints), status: status.dataset.status };
            const last = seen[seen.length - 1];
            if (!last || last.step !== v.step || last.points !== v.points || last.status !== v.status) seen.push(v);
        };
        read();
        new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        window.__seen = seen;
    }";

    private sealed record Seen(long Step, int Points, string Status);

    [Fact]
    public Task A_run_started_in_the_browser_survives_a_hard_kill_of_the_portal_resumes_from_its_checkpoint_on_the_same_page_and_reaches_the_leaderboard() => RunAsync(async () =>
    {
        var total = Stopwatch.StartNew();
        var page = await NewPageAsync();
        await PortalPages.RegisterAsync(page, Email);
        var runId = await StartRunFromFormAsync(page);
        var clock = Stopwatch.StartNew();
        await page.EvaluateAsync(RecordJs);

        // Kill only when a checkpoint is on disk and training has gone past it: the restart must resume, not restart.
        var (checkpointStep, stepAtKill) = await WaitCheckpointAndProgressAsync(page);
        Figure("submit -> checkpoint shown and step past it", clock.Elapsed);
        Output.WriteLine($"killing at displayed step {stepAtKill}, checkpoint shown at step {checkpointStep}");
        AllowServerRestart();
        Fixture.Portal.Kill();
        var killed = Stopwatch.StartNew();
        Assert.True(stepAtKill < Steps, $"the run had already reached step {stepAtKill} of {Steps} when killed");
        var before = await SeenAsync(page);

        // The open page notices the lost circuit and shows Blazor's reconnect UI while the portal is down.
        // (The default display lives in the open shadow root of #components-reconnect-modal; CSS locators pierce it.)
        var reconnect = page.Locator("#components-reconnect-modal .components-reconnect-dialog");
        await Expect(reconnect).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(reconnect).ToContainTextAsync("Rejoin");
        await reconnect.EvaluateAsync("e => Promise.all(e.getAnimations().map(a => a.finished))"); // slid in, for the screenshot
        await page.ScreenshotAsync(new() { Path = "/tmp/runs-recovery-reconnecting.png" });

        await Fixture.Portal.RestartAsync();
        Figure("portal restart (process start -> login page answers)", Fixture.Portal.LastStartupTime);

        // The reconnect reaches the new process, which does not know the old circuit: the page reloads itself.
        var reloaded = await WaitReloadedAsync(page, TimeSpan.FromSeconds(90));
        if (!reloaded)
        {
            Output.WriteLine("the page did not reload itself within 90 s of the restart: reloading it as a user would");
            await page.ReloadAsync();
        }
        await PortalPages.WaitInteractiveAsync(page);
        Figure("kill -> same page interactive again", killed.Elapsed);
        await page.EvaluateAsync(RecordJs);
        await Expect(page.GetByTestId("current-user")).ToHaveTextAsync(Email); // the sign-in survived the restart
        await Expect(page.GetByTestId("run-title")).ToHaveTextAsync(RunName);

        // Resumed at the checkpoint step: the start-up recovery queued it again, then the trainer continued from it.
        var afterRestart = page.Locator("[data-testid=run-event][data-kind=resumed-after-restart]");
        await Expect(afterRestart).ToHaveCountAsync(1, new() { Timeout = 90_000 });
        var resumedStep = long.Parse(await afterRestart.GetAttributeAsync("data-step") ?? "", CultureInfo.InvariantCulture);
        Output.WriteLine($"resumed after restart at step {resumedStep}");
        // The trainer may be a step or two ahead of what the page showed at the kill, so possibly one checkpoint further.
        Assert.True(resumedStep >= checkpointStep && resumedStep < Steps && resumedStep % CheckpointEvery == 0,
            $"resumed at step {resumedStep}; the page showed checkpoint step {checkpointStep} and step {stepAtKill} at the kill");
        await Expect(page.Locator($"[data-testid=run-event][data-kind=resumed][data-step='{resumedStep}']"))
            .ToHaveCountAsync(1, new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        await Expect(page.Locator("[data-testid=run-event][data-kind=failed]")).ToHaveCountAsync(0);
        await page.WaitForFunctionAsync($"() => Number(document.querySelector('[data-testid=run-step]')?.textContent) > {resumedStep}",
            null, new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        Figure("kill -> page shows the run training again past its checkpoint", killed.Elapsed);
        await page.ScreenshotAsync(new() { Path = "/tmp/runs-recovery-after-restart.png", FullPage = true });

        await Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "Completed",
            new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        Figure($"tiny run ({Steps} steps, killed and resumed): submit -> Completed shown", clock.Elapsed);
        var after = await SeenAsync(page);
        Output.WriteLine("before the kill (step, points, status): " + Describe(before));
        Output.WriteLine("after the restart (step, points, status): " + Describe(after));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded after the restart had settled");

        // Before the kill and after the resume the chart holds one point per step: no gap, no duplicate.
        var training = before.Where(s => s.Status == "Running" && s.Step > 0).ToList();
        Assert.NotEmpty(training);
        Assert.All(training, s => Assert.True(s.Points == s.Step, $"before the kill the page showed step {s.Step} with {s.Points} chart points"));
        // A page that loaded before the start-up recovery shows the stale state until the recovery's Queued: judge
        // what it shows from the last Queued on (a page loaded later shows Queued or Running from the start).
        var settled = after.Skip(Math.Max(0, after.FindLastIndex(s => s.Status == "Queued"))).ToList();
        var continued = settled.Where(s => s.Step > resumedStep).ToList();
        Assert.NotEmpty(continued);
        Assert.All(continued, s => Assert.True(s.Points == s.Step, $"after the resume the page showed step {s.Step} with {s.Points} chart points"));
        var steps = continued.Select(s => s.Step).Distinct().ToList();
        Assert.True(steps.Zip(steps.Skip(1)).All(p => p.First < p.Second), $"the step went backwards after the resume: {string.Join(",", steps)}");
        Assert.Equal(Steps, after[^1].Step);
        Assert.Equal(Steps, after[^1].Points);
        await Expect(page.GetByTestId("run-class-dice")).ToBeVisibleAsync();

        // The store agrees with the chart: every step once, 1..Steps.
        var metrics = await page.APIRequest.GetAsync($"/api/runs/{runId}/metrics?after=0");
        Assert.Equal(200, metrics.Status);
        var stored = JsonDocument.Parse(await metrics.TextAsync()).RootElement.GetProperty("points").EnumerateArray()
            .Select(p => p.GetProperty("step").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, Steps).Select(i => (long)i), stored);
        await page.ScreenshotAsync(new() { Path = "/tmp/runs-recovery-completed.png", FullPage = true });

        await page.GotoAsync("/runs/leaderboard");
        await PortalPages.WaitInteractiveAsync(page);
        var row = page.Locator($"[data-testid=leaderboard-row][data-run='{runId}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync(RunName);
        await Expect(row.GetByTestId("leaderboard-rank")).ToHaveTextAsync("1");
        var score = double.Parse(await row.GetByTestId("leaderboard-score").TextContentAsync() ?? "", CultureInfo.InvariantCulture);
        Assert.InRange(score, 0, 1);
        await page.ScreenshotAsync(new() { Path = "/tmp/runs-recovery-leaderboard.png", FullPage = true });
        Figure("run recovery test total", total.Elapsed);
        Assert.Empty(Log.PageErrors);
    });

    /// <summary>Fills the run form (tiny BasicUNet, 32³ crops, batch 1, on-the-fly data), starts the run and returns its id from the run page's URL.</summary>
    private static async Task<int> StartRunFromFormAsync(IPage page)
    {
        await page.GotoAsync("/runs/new");
        await PortalPages.WaitInteractiveAsync(page);
        await PortalPages.SetFieldAsync(page, "run-name", RunName);
        await PortalPages.SetFieldAsync(page, "run-tags", "e2e, recovery");
        await PortalPages.SetFieldAsync(page, "run-spec-size", "32");
        // BasicUNet (MONAI's default features): the cheapest network per step on a CPU at 32³.
        await PortalPages.ChooseAsync(page, "run-model", "BasicUNet");
        await Expect(page.GetByTestId("run-model")).ToHaveTextAsync("BasicUNet"); // the select's combobox shows the choice
        await PortalPages.SetFieldAsync(page, "run-crop", "32");
        await PortalPages.SetFieldAsync(page, "run-batch", "1");
        await PortalPages.SetFieldAsync(page, "run-samples", "8");
        await PortalPages.SwitchOnAsync(page, "run-use-steps");
        await PortalPages.SetFieldAsync(page, "run-steps", Steps.ToString(CultureInfo.InvariantCulture));
        await PortalPages.SetFieldAsync(page, "run-checkpoint-every", CheckpointEvery.ToString(CultureInfo.InvariantCulture));
        // One validation, at the end: the leaderboard ranks by it.
        await PortalPages.SetFieldAsync(page, "run-val-every", Steps.ToString(CultureInfo.InvariantCulture));
        await PortalPages.SetFieldAsync(page, "run-val-samples", "1");
        await Expect(page.GetByTestId("run-total-steps")).ToContainTextAsync($"{Steps} steps");
        await Expect(page.GetByTestId("run-config-errors")).ToHaveCountAsync(0);

        await page.GetByTestId("run-submit").ClickAsync();
        // The form navigates inside the circuit (history.pushState, no load event): poll the address instead.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/runs/\d+$"), new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("run-title")).ToHaveTextAsync(RunName);
        await PortalPages.WaitInteractiveAsync(page);
        return int.Parse(new Uri(page.Url).Segments.Last(), CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the page shows a step checkpoint and a displayed step beyond it; returns both.</summary>
    private static async Task<(long CheckpointStep, long Step)> WaitCheckpointAndProgressAsync(IPage page)
    {
        var handle = await page.WaitForFunctionAsync(@"() => {
            const m = /step-0*(\d+)/.exec(document.querySelector('[data-testid=run-checkpoint]')?.textContent ?? '');
            const step = Number(document.querySelector('[data-testid=run-step]')?.textContent);
            return m && step > Number(m[1]) ? [Number(m[1]), step] : null;
        }", null, new() { Timeout = (float)RunTimeout.TotalMilliseconds, PollingInterval = 50 });
        var pair = await handle.JsonValueAsync<long[]>();
        return (pair[0], pair[1]);
    }

    /// <summary>True once the page is a new document (it reloaded itself) with the Blazor circuit up.</summary>
    private static async Task<bool> WaitReloadedAsync(IPage page, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await page.EvaluateAsync<bool>("() => window.__sameDocument !== true && !!document.querySelector('[data-testid=interactive]')"))
                    return true;
            }
            catch (PlaywrightException) { } // the document navigated away mid-evaluation
            await Task.Delay(200);
        }
        return false;
    }

    private static async Task<List<Seen>> SeenAsync(IPage page) =>
        (await page.EvaluateAsync<JsonElement>("() => window.__seen")).EnumerateArray()
            .Select(s => new Seen(s.GetProperty("step").GetInt64(), s.GetProperty("points").GetInt32(), s.GetProperty("status").GetString() ?? ""))
            .ToList();

    private static string Describe(IEnumerable<Seen> seen) => string.Join(" ", seen.Select(s => $"({s.Step},{s.Points},{s.Status})"));
}

using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using MedSeg.Web.E2E.Harness;

namespace MedSeg.Web.E2E;

/// <summary>Training runs get a portal process of their own (the journey's first user must be its PI).</summary>
[CollectionDefinition(Name)]
public sealed class RunsPortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "runs e2e";
}

/// <summary>
/// A tiny CPU run started from the browser (SwinUNETR feature size 12, 32³ crops, batch 1, on-the-fly AVS-DB data),
/// watched live on its run page in TWO browser contexts at once: both see the displayed step and the loss chart's
/// point count grow without a reload, until Completed; then the run is on the leaderboard with its Dice.
/// </summary>
[Collection(RunsPortalCollection.Name)]
public sealed class TrainingRunsTests(PortalFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Email = "trainer@lab.test";
    private const string RunName = "e2e-tiny-swin";
    private const int Steps = 40;

    // Records every (step, chart points) pair the page shows, as the DOM changes; window.__noReload stays true
    // only as long as the document is the same one.
    /// <summary>Records every (step, chart points) a run page shows, as the DOM changes (also used by the Slurm tests).</summary>
    internal const string RecordJs = @"() => {
        window.__noReload = true;
        const seen = [];
        const read = () => {
            const step = document.querySelector('[data-testid=run-step]');
            const chart = document.querySelector('[data-testid=loss-chart]');
            if (!step || !chart) return;
            const v = { step: Number(step.textContent), points: Number(chart.dataset.rawPoints) };
            const last = seen[seen.length - 1];
            if (!last || last.step !== v.step || last.points !== v.points) seen.push(v);
        };
        read();
        new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        window.__seen = seen;
    }";

    /// <summary>Waits for both pages to show Completed, logging what they show now and then (a loaded machine trains slowly).</summary>
    private async Task WaitCompletedAsync(IPage[] pages, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var nextLog = TimeSpan.Zero;
        while (true)
        {
            var states = new List<string>();
            foreach (var page in pages)
                states.Add($"{await page.GetByTestId("run-status").GetAttributeAsync("data-status")} step {await page.GetByTestId("run-step").TextContentAsync()}");
            if (states.All(s => s.StartsWith("Completed", StringComparison.Ordinal))) return;
            if (clock.Elapsed >= nextLog)
            {
                Output.WriteLine($"{clock.Elapsed.TotalSeconds:0} s: {string.Join(" | ", states)}");
                nextLog += TimeSpan.FromSeconds(15);
            }
            if (clock.Elapsed > timeout || states.Any(s => s.StartsWith("Failed", StringComparison.Ordinal)))
            {
                await pages[0].ScreenshotAsync(new() { Path = "/tmp/runs-page-timeout.png", FullPage = true });
                Assert.Fail($"The run did not complete in {timeout}: {string.Join(" | ", states)}");
            }
            await Task.Delay(500);
        }
    }

    [Fact]
    public Task Tiny_CPU_run_started_in_the_browser_is_watched_live_in_two_contexts_and_reaches_the_leaderboard() => RunAsync(async () =>
    {
        var first = await NewPageAsync();
        await PortalPages.RegisterAsync(first, Email);
        var signedIn = await first.Context.StorageStateAsync();

        await first.GotoAsync("/runs/new");
        await PortalPages.WaitInteractiveAsync(first);
        await PortalPages.SetFieldAsync(first, "run-name", RunName);
        await PortalPages.SetFieldAsync(first, "run-tags", "e2e, tiny");
        await PortalPages.SetFieldAsync(first, "run-spec-size", "32");
        await PortalPages.SetFieldAsync(first, "run-feature-size", "12");
        await PortalPages.SetFieldAsync(first, "run-crop", "32");
        await PortalPages.SetFieldAsync(first, "run-batch", "1");
        await PortalPages.SetFieldAsync(first, "run-samples", "8");
        await PortalPages.SwitchOnAsync(first, "run-use-steps");
        await PortalPages.SetFieldAsync(first, "run-steps", Steps.ToString());
        await PortalPages.SetFieldAsync(first, "run-checkpoint-every", "20");
        await PortalPages.SetFieldAsync(first, "run-val-every", "20");
        await PortalPages.SetFieldAsync(first, "run-val-samples", "2");
        await Expect(first.GetByTestId("run-total-steps")).ToContainTextAsync($"{Steps} steps");
        await Expect(first.GetByTestId("run-config-errors")).ToHaveCountAsync(0);
        await first.ScreenshotAsync(new() { Path = "/tmp/runs-form.png", FullPage = true });

        var clock = Stopwatch.StartNew();
        await first.GetByTestId("run-submit").ClickAsync();
        // The form navigates inside the circuit (history.pushState, no load event): poll the address instead.
        await Expect(first).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/runs/\d+$"), new() { Timeout = 60_000 });
        var runId = int.Parse(new Uri(first.Url).Segments.Last());
        await Expect(first.GetByTestId("run-title")).ToHaveTextAsync(RunName);
        await first.EvaluateAsync(RecordJs);

        // A second user session (own context, own circuit) on the same run while it trains.
        var second = await NewPageAsync(signedIn);
        await second.GotoAsync($"/runs/{runId}");
        await PortalPages.WaitInteractiveAsync(second);
        await Expect(second.GetByTestId("run-title")).ToHaveTextAsync(RunName);
        await second.EvaluateAsync(RecordJs);

        await WaitCompletedAsync([first, second], TimeSpan.FromMinutes(10));
        Figure($"tiny run ({Steps} steps, SwinUNETR fs12, 32^3, batch 1, CPU): submit -> Completed shown", clock.Elapsed);

        foreach (var (page, name) in new[] { (first, "first"), (second, "second") })
        {
            var seen = (await page.EvaluateAsync<JsonElement>("() => window.__seen")).EnumerateArray()
                .Select(s => (Step: s.GetProperty("step").GetInt64(), Points: s.GetProperty("points").GetInt32())).ToList();
            Output.WriteLine($"{name} context saw (step, points): " + string.Join(" ", seen.Select(s => $"({s.Step},{s.Points})")));
            Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"), $"the {name} page reloaded");
            var steps = seen.Select(s => s.Step).Distinct().ToList();
            Assert.True(steps.Count >= 3, $"the {name} page showed only {steps.Count} distinct steps: {string.Join(",", steps)}");
            Assert.True(steps.Zip(steps.Skip(1)).All(p => p.First < p.Second), $"the {name} page's step went backwards: {string.Join(",", steps)}");
            Assert.True(seen.Select(s => s.Points).Distinct().Count() >= 3, $"the {name} page's chart did not grow live");
            Assert.Equal(Steps, seen[^1].Step);
            Assert.Equal(Steps, seen[^1].Points);
            await Expect(page.GetByTestId("run-class-dice")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = $"/tmp/runs-page-{name}.png", FullPage = true });
        }

        // Clone: the form opens with the finished run's settings.
        await first.GetByTestId("run-clone").ClickAsync();
        await first.WaitForURLAsync(url => url.Contains($"/runs/new?clone={runId}", StringComparison.Ordinal));
        await PortalPages.WaitInteractiveAsync(first);
        await Expect(first.GetByTestId("run-clone-source")).ToBeVisibleAsync();
        await Expect(PortalPages.Field(first, "run-name")).ToHaveValueAsync($"{RunName} (clone)");
        await Expect(PortalPages.Field(first, "run-crop")).ToHaveValueAsync("32");
        await Expect(PortalPages.Field(first, "run-steps")).ToHaveValueAsync(Steps.ToString());
        await Expect(first.GetByTestId("run-config-errors")).ToHaveCountAsync(0);
        await first.ScreenshotAsync(new() { Path = "/tmp/runs-clone.png", FullPage = true });

        await first.GotoAsync("/runs/leaderboard");
        await PortalPages.WaitInteractiveAsync(first);
        var row = first.Locator($"[data-testid=leaderboard-row][data-run='{runId}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync(RunName);
        await Expect(row).ToContainTextAsync("crop 32³");
        var score = double.Parse(await row.GetByTestId("leaderboard-score").TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(score, 0, 1);
        await first.ScreenshotAsync(new() { Path = "/tmp/runs-leaderboard.png", FullPage = true });

        await first.GotoAsync("/runs");
        await PortalPages.WaitInteractiveAsync(first);
        await Expect(first.GetByTestId("run-link").First).ToHaveTextAsync(RunName);
        await first.ScreenshotAsync(new() { Path = "/tmp/runs-list.png", FullPage = true });

        await first.GotoAsync("/");
        await PortalPages.WaitInteractiveAsync(first);
        await Expect(first.GetByTestId("home-recent-run").First).ToContainTextAsync(RunName);
        await first.ScreenshotAsync(new() { Path = "/tmp/runs-dashboard.png", FullPage = true });
    });
}

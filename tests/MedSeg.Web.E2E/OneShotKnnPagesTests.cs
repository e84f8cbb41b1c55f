using System.Diagnostics;
using MedSeg.Web.E2E.Harness;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MedSeg.Web.E2E;

/// <summary>
/// "One-shot kNN" in a real browser (the benchmark pages' portal process): a tiny FDSL run (queued over the HTTP API) and
/// a SYNTHETIC phantom imported with the CLI; on the run's page the action with 1 atlas runs in the background with
/// progress, its Dice per organ appears with the label transfer of the target in the slice viewer (prediction, then
/// ground truth), and the downstream leaderboard shows the run in its one-shot kNN column group.
/// </summary>
[Collection(BenchmarkPortalCollection.Name)]
public sealed class OneShotKnnPagesTests(PortalFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(8); // generous: a loaded 2-core machine

    [Fact]
    public Task One_shot_knn_from_the_run_page_reaches_the_viewer_and_the_leaderboard() => RunAsync(async () =>
    {
        var clock = Stopwatch.StartNew();
        var page = await NewPageAsync();
        await PortalPages.RegisterAsync(page, "knn@lab.test");
        var work = Directory.CreateTempSubdirectory("medseg-e2e-knn-").FullName;
        try
        {
            var runId = await PortalRuns.QueueTinyFdslAsync(page, work, "e2e-knn-fdsl");
            var raw = Path.Combine(work, "raw");
            await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "generate", "phantom", "--out", raw, "--count", "4", "--size", "64,64,24", "--seed", "7", "--threads", "1");
            await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "import", "msd", raw, "--out", Path.Combine(Fixture.Portal.DataRoot, "downstream", "knnphantom"),
                "--val", "0.25", "--test", "0.25", "--seed", "1");

            // The action appears once the run has completed.
            var deadline = DateTime.UtcNow + RunTimeout;
            await page.GotoAsync($"/runs/{runId}");
            await PortalPages.WaitInteractiveAsync(page);
            while (await page.GetByTestId("knn-panel").CountAsync() == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"run {runId} did not complete within {RunTimeout}");
                await page.WaitForTimeoutAsync(2_000);
                await page.ReloadAsync();
                await PortalPages.WaitInteractiveAsync(page);
            }
            Figure("kNN setup (FDSL run completed, phantom imported)", clock.Elapsed);

            await PortalPages.ChooseAsync(page, "knn-dataset", "downstream/knnphantom");
            await page.GetByTestId("knn-start").ClickAsync();
            // The result, or a failure with what the panel said (job line, error, snackbar) rather than a bare count.
            var knnDeadline = DateTime.UtcNow + RunTimeout;
            while (await page.Locator("[data-testid=knn-result]").CountAsync() == 0)
            {
                var panelText = await page.GetByTestId("knn-panel").InnerTextAsync();
                Assert.True(await page.GetByTestId("knn-error").CountAsync() == 0, $"the evaluation failed: {panelText}");
                Assert.True(DateTime.UtcNow < knnDeadline, $"no kNN result within {RunTimeout}; the panel says: {panelText}");
                await page.WaitForTimeoutAsync(1_000);
            }
            Figure("kNN done", clock.Elapsed);
            await Expect(page.GetByTestId("knn-result-mean")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(\d\.\d{3}|–)$"));
            await Expect(page.GetByTestId("knn-target")).ToContainTextAsync("Target phantom_");
            foreach (var (overlay, file) in new[] { ("Prediction (kNN label transfer)", "transfer"), ("Ground truth", "label") })
            {
                await PortalPages.ChooseAsync(page, "knn-overlay", overlay);
                // This overlay's viewer (a new component per overlay) has loaded its label map.
                await Expect(page.Locator($"[data-testid=slice-viewer][data-state=loaded][data-label$='/{file}.nii.gz']"))
                    .ToHaveCountAsync(1, new() { Timeout = 30_000 });
                await Expect(page.GetByTestId("slice-viewer-error")).ToHaveCountAsync(0);
                // The organ legend lists the dataset's classes with their colours (it was empty).
                var organs = page.GetByTestId("slice-viewer-legend").Locator("li");
                foreach (var organ in new[] { "liver", "spleen", "right_kidney", "left_kidney", "aorta" })
                    await Expect(organs.Filter(new() { HasText = organ })).ToHaveCountAsync(1);
                foreach (var color in await organs.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.color)"))
                    Assert.Matches("^#[0-9a-f]{6}$", color);
                await Expect(page.GetByTestId("slice-viewer-legend-title")).ToHaveTextAsync("Organs");
            }
            await page.ScreenshotAsync(new() { Path = "/tmp/e2e-knn-run.png", FullPage = true });

            await page.GotoAsync("/runs/downstream?dataset=downstream/knnphantom");
            await PortalPages.WaitInteractiveAsync(page);
            await Expect(page.GetByTestId("knn-group")).ToContainTextAsync("One-shot kNN");
            await Expect(page.Locator($"[data-testid=knn-row][data-run='{runId}']")).ToHaveCountAsync(1);
            await page.ScreenshotAsync(new() { Path = "/tmp/e2e-knn-leaderboard.png", FullPage = true });
            Assert.Empty(Log.PageErrors);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    });
}

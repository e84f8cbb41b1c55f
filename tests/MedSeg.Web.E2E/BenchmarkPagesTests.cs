using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using MedSeg.Web.E2E.Harness;

namespace MedSeg.Web.E2E;

/// <summary>The benchmark pages get a portal process of their own.</summary>
[CollectionDefinition(Name)]
public sealed class BenchmarkPortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "benchmark e2e";
}

/// <summary>
/// A benchmark protocol in a real browser: a tiny FDSL run (queued over the HTTP API) and a SYNTHETIC phantom imported
/// with the CLI into the data root; the protocol is written in /benchmarks (a bad seed list is named and blocks Save),
/// saved, run on scratch + the FDSL run for seeds 1 and 2 of its three (2 methods × 2 budgets × 2 seeds = 8 fine-tunes
/// of 2 CPU steps), and the page shows the grid filling until all 8 cells are done, then the table with a bold best cell
/// and the plots; running the third seed then queues only its 4 cells.
/// </summary>
[Collection(BenchmarkPortalCollection.Name)]
public sealed class BenchmarkPagesTests(PortalFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(8); // generous: a loaded 2-core machine

    [Fact]
    public Task Protocol_written_and_run_in_the_browser_fills_the_grid_and_shows_the_table() => RunAsync(async () =>
    {
        var clock = Stopwatch.StartNew();
        var page = await NewPageAsync();
        await PortalPages.RegisterAsync(page, "benchmarks@lab.test");
        var work = Directory.CreateTempSubdirectory("medseg-e2e-benchmarks-").FullName;
        try
        {
            var pretrainId = await PortalRuns.QueueTinyFdslAsync(page, work, "e2e-bench-fdsl");
            var raw = Path.Combine(work, "raw");
            await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "generate", "phantom", "--out", raw, "--count", "6", "--size", "64,64,24", "--seed", "5", "--threads", "1");
            await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "import", "msd", raw, "--out", Path.Combine(Fixture.Portal.DataRoot, "downstream", "phantom"),
                "--val", "0.17", "--test", "0.17", "--seed", "1");

            await page.GotoAsync("/benchmarks");
            await PortalPages.WaitInteractiveAsync(page);
            var json = page.Locator("textarea[data-testid=protocol-json], [data-testid=protocol-json] textarea").First;
            await json.FillAsync(Protocol("1, 2"));
            await json.BlurAsync();
            await Expect(page.GetByTestId("protocol-problems")).ToContainTextAsync("Protocol.seeds must be 3 to 100 seeds");
            await Expect(page.GetByTestId("protocol-save")).ToBeDisabledAsync();
            await json.FillAsync(Protocol("1, 2, 3"));
            await json.BlurAsync();
            await Expect(page.GetByTestId("protocol-problems")).ToHaveCountAsync(0);
            await page.GetByTestId("protocol-save").ClickAsync();
            await page.WaitForFunctionAsync("() => /^\\/benchmarks\\/\\d+$/.test(location.pathname)", null, new() { Timeout = 30_000 });
            await PortalPages.WaitInteractiveAsync(page);
            await Expect(page.GetByTestId("benchmark-no-table")).ToBeVisibleAsync();

            // The pretraining run must be completed to be offered: reload until it is.
            var deadline = DateTime.UtcNow + RunTimeout;
            while (await page.GetByTestId($"benchmark-method-{pretrainId}").CountAsync() == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"pretraining run {pretrainId} was not offered (completed) within {RunTimeout}");
                await page.WaitForTimeoutAsync(2_000);
                await page.ReloadAsync();
                await PortalPages.WaitInteractiveAsync(page);
            }
            Figure("benchmark setup (FDSL run completed, phantom imported, protocol saved)", clock.Elapsed);

            await page.GetByTestId($"benchmark-method-{pretrainId}").ClickAsync();
            await page.GetByTestId("benchmark-seed-3").ClickAsync(); // seeds 1 and 2 now, the third later
            await page.GetByTestId("benchmark-run").ClickAsync();
            await Expect(page.GetByTestId("benchmark-progress")).ToContainTextAsync("8 cells:");
            await page.ScreenshotAsync(new() { Path = "/tmp/e2e-benchmark-grid.png" });
            await Expect(page.GetByTestId("benchmark-progress")).ToContainTextAsync("8 cells: 8 done, 0 running, 0 queued, 0 failed",
                new() { Timeout = (float)RunTimeout.TotalMilliseconds });
            Figure("benchmark 8 cells done", clock.Elapsed);

            await Expect(page.GetByTestId("benchmark-table")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=benchmark-grid] a[data-state=Done]")).ToHaveCountAsync(8);
            await Expect(page.Locator("[data-testid=benchmark-table] thead tr").Last.Locator("th")).ToHaveCountAsync(2); // budgets 1, 2
            await Expect(page.Locator("[data-testid=benchmark-table] tbody tr")).ToHaveCountAsync(2);
            Assert.True(await page.Locator("[data-testid=benchmark-table] td.best").CountAsync() >= 1);
            await Expect(page.Locator("[data-testid=benchmark-plots] svg")).ToHaveCountAsync(2);
            await page.ScreenshotAsync(new() { Path = "/tmp/e2e-benchmark-table.png", FullPage = true });

            // The third seed: only its 4 cells are queued (the 8 finished ones are never run again).
            if (!await page.GetByTestId("benchmark-seed-3").IsVisibleAsync())
                await page.GetByTestId("benchmark-run-panel").Locator(".mud-expand-panel-header").ClickAsync();
            await page.GetByTestId("benchmark-seed-3").ClickAsync();
            await page.GetByTestId("benchmark-run").ClickAsync();
            // The first run's "Queued 8 cells" may still be on screen when the grid fills fast: look for this answer.
            await Expect(page.Locator(".mud-snackbar", new() { HasText = "Queued 4 cells" })).ToContainTextAsync("Queued 4 cells (8 already there)",
                new() { Timeout = 30_000 }); // queuing validates and creates four runs: seconds on a loaded machine
            await Expect(page.GetByTestId("benchmark-progress")).ToContainTextAsync("12 cells: 8 done");
            Assert.Empty(Log.PageErrors);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    });

    private static string Protocol(string seeds) => $$"""
        { "name": "e2e tiny", "datasets": ["downstream/phantom"], "budgets": [1, 2], "seeds": [{{seeds}}],
          "fineTune": { "model": "BasicUNet", "modelArgs": { "features": "(4, 4, 8, 8, 16, 4)" }, "patchSize": 32, "steps": 2,
                        "batchSize": 1, "learningRate": 0.001, "validationEvery": 0, "checkpointEvery": 2, "device": "cpu",
                        "loaderWorkers": 1, "prefetch": 1, "torchThreads": 1 },
          "metrics": ["dice", "assd"] }
        """;
}

using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using MedSeg.Testing;
using MedSeg.Web.E2E.Harness;

namespace MedSeg.Web.E2E;

/// <summary>A portal that samples system metrics every half second, so a few-second run has a history to chart.</summary>
public sealed class TrackingPortalFixture() : PortalFixture(new PortalProcessOptions
{
    Settings = { ["Generation:MaxDegreeOfParallelism"] = "1", ["Training:SystemSampleInterval"] = "00:00:00.5" },
});

[CollectionDefinition(Name)]
public sealed class TrackingPortalCollection : ICollectionFixture<TrackingPortalFixture>
{
    public const string Name = "tracking e2e";
}

/// <summary>
/// Issue 12's tracking features on a tiny real run (BasicUNet, 4 steps, validated every 2): Markdown notes written on
/// the run page (an XSS attempt shown as text, not run), shown in the leaderboard's tooltip and the compare view;
/// the checkpoint browser's row with its loss, downloaded as a real safetensors file; the system metrics chart with
/// samples taken while the run trained; and the runs grid without a sideways scroll bar at 1440×900.
/// </summary>
[Collection(TrackingPortalCollection.Name)]
public sealed class RunTrackingTests(TrackingPortalFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Xss = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\">";

    [Fact]
    public Task Notes_checkpoints_and_system_metrics_of_a_tiny_run_on_its_page() => RunAsync(async () =>
    {
        using var work = new TempDirectory("medseg-e2e-tracking");
        var page = await NewPageAsync();
        await PortalPages.RegisterAsync(page, "tracker@lab.test");
        const string validated = """{"validationEvery":2,"validationSamples":1}""";
        var first = await PortalRuns.QueueTinyFdslAsync(page, work.Path, "e2e-tracked", validated);
        var second = await PortalRuns.QueueTinyFdslAsync(page, work.Path, "e2e-tracked-2", validated);
        await WaitCompletedAsync(page, first);
        await WaitCompletedAsync(page, second);

        await page.GotoAsync($"/runs/{first}");
        await PortalPages.WaitInteractiveAsync(page);

        // Notes: Markdown rendered, raw HTML shown as text and never run, a javascript: link defused.
        await Expect(page.GetByTestId("run-notes-empty")).ToBeVisibleAsync();
        await page.GetByTestId("run-notes-edit").ClickAsync();
        var notes = $"## Tried\n**lower lr** helped; see [log](javascript:alert(1)).\n\n{Xss}";
        await page.Locator("textarea[data-testid=run-notes-input], [data-testid=run-notes-input] textarea").First.FillAsync(notes);
        await page.GetByTestId("run-notes-save").ClickAsync();
        var html = page.GetByTestId("run-notes-html");
        await Expect(html.Locator("h2")).ToHaveTextAsync("Tried");
        await Expect(html.Locator("strong")).ToHaveTextAsync("lower lr");
        await Expect(html).ToContainTextAsync("<script>window.__xss = 1</script>");
        Assert.Equal(0, await html.Locator("script, img").CountAsync());
        Assert.Equal("#", await html.Locator("a").GetAttributeAsync("href"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"), "the notes' script ran");

        // Checkpoint browser: the step-4 checkpoint with its loss, downloaded as a safetensors file.
        var row = page.Locator("[data-testid=checkpoint-row][data-name='step-000000004']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.GetByTestId("checkpoint-loss")).Not.ToHaveTextAsync("—");
        var download = await page.RunAndWaitForDownloadAsync(() => row.GetByTestId("checkpoint-download").ClickAsync());
        var file = Path.Combine(work.Path, "downloaded.safetensors");
        await download.SaveAsAsync(file);
        var bytes = await File.ReadAllBytesAsync(file);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.True(headerLength > 2 && (long)headerLength + 8 < bytes.Length, $"not a safetensors file: header {headerLength}, {bytes.Length} bytes");
        using (var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength)))
            Assert.Equal("BasicUNet", header.RootElement.GetProperty("__metadata__").GetProperty("model").GetString());

        // System metrics: samples taken while the run trained, charted beside the loss with the same cursor.
        var usage = page.GetByTestId("system-usage-chart");
        await Expect(usage).ToBeVisibleAsync();
        Assert.True(int.Parse(await usage.GetAttributeAsync("data-raw-points") ?? "0") >= 1, "no CPU sample charted");
        Assert.Contains("CPU %", await usage.GetAttributeAsync("data-series") ?? "");
        Assert.DoesNotContain("GPU", await usage.GetAttributeAsync("data-series") ?? "");
        await page.ScreenshotAsync(new() { Path = "/tmp/tracking-run-page.png", FullPage = true });

        // The notes in the leaderboard's tooltip and in the compare view.
        await page.GotoAsync("/runs/leaderboard");
        await PortalPages.WaitInteractiveAsync(page);
        var icon = page.Locator($"[data-testid=leaderboard-row][data-run='{first}'] [data-testid=leaderboard-notes]");
        await icon.HoverAsync();
        await Expect(page.Locator(".mud-tooltip", new() { HasText = "lower lr helped" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator($"[data-testid=leaderboard-row][data-run='{second}'] [data-testid=leaderboard-notes]").CountAsync());

        await page.GotoAsync($"/runs/compare?ids={first},{second}");
        await PortalPages.WaitInteractiveAsync(page);
        await Expect(page.Locator($"[data-testid=compare-notes-run][data-run='{first}'] strong")).ToHaveTextAsync("lower lr");
        await Expect(page.Locator($"[data-testid=compare-notes-run][data-run='{second}']")).ToContainTextAsync("No notes.");
    });

    [Fact]
    public Task Runs_grid_does_not_scroll_sideways_at_1440_by_900() => RunAsync(async () =>
    {
        var context = await Fixture.Browser.NewContextAsync(new() { BaseURL = Fixture.Portal.BaseUrl, ViewportSize = new() { Width = 1440, Height = 900 } });
        try
        {
            var page = await context.NewPageAsync();
            Log.Attach(page);
            await PortalPages.RegisterAsync(page, "a.rather.long.name-of-a-new-lab-member@radiology.university-hospital.example");
            // Rows with long names, tags and owner (external runs: reported through the ingestion API, no training).
            for (var i = 0; i < 3; i++)
            {
                var created = await page.APIRequest.PostAsync("/api/ingest/runs", new()
                {
                    DataObject = new { name = $"swinunetr-f48-96cubed-lr1e-4-warmup500-long-descriptive-run-name-{i}", model = "SwinUNETR", totalSteps = 62500,
                        tags = "pretraining, avs-db, ablation, crop96, batch8" },
                    Headers = new Dictionary<string, string> { ["X-MedSeg-Request"] = "1" },
                });
                Assert.True(created.Status == 201, await created.TextAsync());
            }
            await page.GotoAsync("/runs");
            await PortalPages.WaitInteractiveAsync(page);
            await Expect(page.GetByTestId("run-link").Nth(2)).ToBeVisibleAsync(); // the lab's other runs may be there too
            var widths = await page.EvaluateAsync<JsonElement>("""
                () => [document.documentElement, ...document.querySelectorAll('[data-testid=runs-grid], [data-testid=runs-grid] .mud-table-container')]
                    .map(e => ({ name: e.className || e.tagName, scroll: e.scrollWidth, client: e.clientWidth,
                        columns: [...e.querySelectorAll('th')].map(th => Math.round(th.getBoundingClientRect().width)).join(' ') }))
                """);
            Output.WriteLine(widths.ToString());
            await page.ScreenshotAsync(new() { Path = "/tmp/tracking-runs-1440.png", FullPage = true });
            Output.WriteLine(await page.Locator("[data-testid=runs-grid] th").Nth(1).EvaluateAsync<string>("e => e.outerHTML"));
            foreach (var e in widths.EnumerateArray())
                Assert.True(e.GetProperty("scroll").GetInt32() <= e.GetProperty("client").GetInt32(),
                    $"{e.GetProperty("name")} scrolls sideways: scrollWidth {e.GetProperty("scroll")} > clientWidth {e.GetProperty("client")}");
        }
        finally { await context.CloseAsync(); }
    });

    private async Task WaitCompletedAsync(IPage page, int runId)
    {
        var until = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            var response = await page.APIRequest.GetAsync($"/api/runs/{runId}");
            var status = JsonDocument.Parse(await response.TextAsync()).RootElement.GetProperty("status").ToString();
            if (status == "Completed") return;
            Assert.False(status is "Failed" or "Cancelled" || DateTime.UtcNow > until, $"run {runId} is {status}");
            await Task.Delay(500);
        }
    }
}

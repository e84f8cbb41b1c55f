using System.Text.RegularExpressions;
using MedSeg.Web.E2E.Harness;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MedSeg.Web.E2E;

/// <summary>Catalogue-method runs get a portal process of their own (the first user is its PI).</summary>
[CollectionDefinition(Name)]
public sealed class MethodRunsPortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "method runs e2e";
}

/// <summary>
/// A Volume Fusion run started from the run form (method picker, VolF fields, SYNTHETIC phantom sources, a tiny BasicUNet)
/// and watched on its run page: the live loss chart grows until Completed. Fails on any console or page error.
/// </summary>
[Collection(MethodRunsPortalCollection.Name)]
public sealed class MethodRunFormTests(PortalFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const int Steps = 12;

    [Fact]
    public Task Volf_run_started_from_the_form_shows_its_live_loss_chart() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await PortalPages.RegisterAsync(page, "volf@lab.test");
        await page.GotoAsync("/runs/new");
        await PortalPages.WaitInteractiveAsync(page);

        await PortalPages.ChooseAsync(page, "run-pretraining-method", "Volume Fusion");
        await Expect(page.GetByTestId("volf-alpha-legend")).ToContainTextAsync("4: α = 1");
        await PortalPages.ChooseAsync(page, "opt-model", "BasicUNet");

        await PortalPages.SetFieldAsync(page, "run-name", "e2e-volf");
        // Other tests of this portal import datasets, which the form then offers first: pick the phantom sources.
        await PortalPages.ChooseAsync(page, "method-source", "SYNTHETIC phantom sources");
        await PortalPages.SetFieldAsync(page, "opt-phantomCount", "2");
        foreach (var (axis, value) in new[] { (0, "16"), (1, "32"), (2, "32") }) await PortalPages.SetFieldAsync(page, $"opt-volf-size-{axis}", value);
        await PortalPages.SetFieldAsync(page, "opt-volf-size-2", "300"); // over Limits:MaxCrop: named, Start waits
        await Expect(page.GetByTestId("run-config-errors")).ToContainTextAsync("Sub-volume W must be at most 256 (got 300)");
        await Expect(page.GetByTestId("run-submit")).ToBeDisabledAsync();
        await PortalPages.SetFieldAsync(page, "opt-volf-size-2", "32");
        await PortalPages.SetFieldAsync(page, "opt-steps", Steps.ToString());
        await PortalPages.SetFieldAsync(page, "opt-batchSize", "1");
        await PortalPages.SetFieldAsync(page, "opt-checkpointEvery", "6");
        await Expect(page.GetByTestId("run-config-errors")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = "/tmp/volf-form.png", FullPage = true });

        await page.GetByTestId("run-submit").ClickAsync();
        // The form navigates inside the circuit (history.pushState, no load event): poll the address instead.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/runs/\d+$"), new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("run-title")).ToHaveTextAsync("e2e-volf");
        var chart = page.GetByTestId("loss-chart");
        var seen = new SortedSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(8);
        while (await page.GetByTestId("run-status").GetAttributeAsync("data-status") is var status && status != "Completed")
        {
            Assert.True(status != "Failed", "the VolF run failed: " + await page.GetByTestId("run-status").TextContentAsync());
            Assert.True(DateTime.UtcNow < deadline, $"the VolF run did not complete in time (status {status})");
            if (int.TryParse(await chart.GetAttributeAsync("data-raw-points"), out var points)) seen.Add(points);
            await Task.Delay(250);
        }
        // Three series: the total and VolF's two loss terms, one point each per step.
        await Expect(chart).ToHaveAttributeAsync("data-series", "loss|loss_dice|loss_ce");
        await Expect(chart).ToHaveAttributeAsync("data-raw-points", (3 * Steps).ToString());
        Output.WriteLine("chart point counts seen while training: " + string.Join(",", seen));
        Assert.True(seen.Count >= 2, $"the loss chart did not grow live: {string.Join(",", seen)}");
        await page.ScreenshotAsync(new() { Path = "/tmp/volf-run.png", FullPage = true });
    });

    /// <summary>
    /// "Preview samples" on the form (VolF, an imported dataset picked, a small sub-volume): three fused samples of the run's
    /// seed in the slice viewer, the fusion classes as overlay and a legend listing their α.
    /// </summary>
    [Fact]
    public Task Volf_preview_shows_fused_samples_with_an_alpha_legend_in_the_slice_viewer() => RunAsync(async () =>
    {
        var work = Directory.CreateTempSubdirectory("medseg-e2e-volf-preview-").FullName;
        try
        {
            var raw = Path.Combine(work, "raw");
            await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "generate", "phantom", "--out", raw, "--count", "3", "--size", "64,64,24", "--seed", "2", "--threads", "1");
            await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "import", "msd", raw, "--out", Path.Combine(Fixture.Portal.DataRoot, "downstream", "volfsrc"),
                "--val", "0.34", "--seed", "1");

            var page = await NewPageAsync();
            await PortalPages.RegisterAsync(page, "volf-preview@lab.test");
            await page.GotoAsync("/runs/new?method=volf");
            await PortalPages.WaitInteractiveAsync(page);
            // Other tests of this portal import datasets too: pick this one.
            await PortalPages.ChooseAsync(page, "method-source", "volfsrc");
            await Expect(page.GetByTestId("method-source")).ToContainTextAsync("volfsrc");
            foreach (var (axis, value) in new[] { (0, "16"), (1, "32"), (2, "32") }) await PortalPages.SetFieldAsync(page, $"opt-volf-size-{axis}", value);
            foreach (var (axis, value) in new[] { (0, "4"), (1, "8"), (2, "8") }) await PortalPages.SetFieldAsync(page, $"opt-volf-boxSizeMin-{axis}", value);
            foreach (var (axis, value) in new[] { (0, "12"), (1, "24"), (2, "24") }) await PortalPages.SetFieldAsync(page, $"opt-volf-boxSizeMax-{axis}", value);

            await page.GetByTestId("volf-preview").ClickAsync();
            var viewer = page.GetByTestId("slice-viewer");
            await Expect(viewer).ToHaveAttributeAsync("data-state", "loaded", new() { Timeout = 90_000 });
            var legend = page.GetByTestId("slice-viewer-legend");
            await Expect(legend).ToContainTextAsync("1: α = 0.25");
            await Expect(legend).ToContainTextAsync("4: α = 1");
            await Expect(page.GetByTestId("slice-viewer-legend-title")).ToHaveTextAsync("Fusion class k: α");
            Assert.True(await legend.Locator("li:not(.absent)").CountAsync() >= 1, "no fusion class present in the sample's overlay");
            await Expect(page.GetByTestId("volf-preview-info")).ToContainTextAsync("sample 0: paper, 16×32×32");
            await Expect(page.GetByTestId("slice-viewer-error")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("volf-preview-error")).ToHaveCountAsync(0);
            // The fused image is drawn and the fusion-class overlay colours it.
            var axial = await CanvasProbe.WaitForAsync(page, "axial", st => st.Lit > st.Total / 20);
            Assert.True(axial.Lit > axial.Total / 20, $"the fused image is not drawn: {axial}");
            var coloured = await CanvasProbe.WaitForColouredAsync(page, c => c > 100);
            Assert.True(coloured > 100, $"no fusion-class overlay drawn: {coloured} coloured pixels");

            // The next sample of the same preview.
            await page.GetByTestId("slice-viewer-volume").SelectOptionAsync("1");
            await Expect(page.GetByTestId("volf-preview-info")).ToContainTextAsync("sample 1:");
            await Expect(viewer).ToHaveAttributeAsync("data-state", "loaded", new() { Timeout = 30_000 });
            await Expect(legend).ToContainTextAsync("2: α = 0.5");
            await page.ScreenshotAsync(new() { Path = "/tmp/volf-preview.png", FullPage = true });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    });
}

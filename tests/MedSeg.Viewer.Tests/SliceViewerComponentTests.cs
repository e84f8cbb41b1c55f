using System.Text.Json;
using MedSeg.Testing;
using Microsoft.Playwright;

namespace MedSeg.Viewer.Tests;

/// <summary>The SliceViewer Razor component on a real Blazor Server page (BlazorHost/ViewerPage.razor) in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SliceViewerComponentTests(ChromiumFixture fixture) : ViewerBrowserTest(fixture)
{
    private const string FramesJs = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))))";

    private Task<IPage> OpenAsync() => OpenPageAsync("/blazor");

    private static async Task WaitForStatusAsync(IPage page, string text) =>
        await Assertions.Expect(page.GetByTestId("host-status")).ToContainTextAsync(text, new() { Timeout = 30_000 });

    private static async Task SetOpacityAsync(IPage page, double value) =>
        await page.GetByTestId("slice-viewer-opacity").EvaluateAsync(
            "(e, v) => { e.value = String(v); e.dispatchEvent(new Event('input', { bubbles: true })); }", value);

    /// <summary>Waits (Blazor Server round trip, then a JS render) until the overlay's coloured pixel count satisfies the condition.</summary>
    private static async Task WaitForColouredAsync(IPage page, string condition) =>
        await page.WaitForFunctionAsync($"() => ({CanvasPixels.ColouredJs})() {condition}", null, new() { Timeout = 10_000 });

    [Fact]
    public async Task Component_renders_three_views_legend_and_its_opacity_slider_drives_the_overlay()
    {
        var page = await OpenAsync();
        await WaitForStatusAsync(page, "loads=1");
        var legend = page.GetByTestId("slice-viewer-legend").Locator("li");
        await Assertions.Expect(legend).ToHaveTextAsync(["liver", "tumour"]);
        await page.EvaluateAsync(FramesJs);

        foreach (var plane in new[] { "axial", "coronal", "sagittal" })
        {
            var stats = await page.EvaluateAsync<JsonElement>(CanvasPixels.LitJs, plane);
            Assert.True(stats.GetProperty("lit").GetInt32() > stats.GetProperty("total").GetInt32() / 4,
                $"{plane} view is mostly black: {stats}\n{Log}");
        }

        Assert.True(await page.EvaluateAsync<int>(CanvasPixels.ColouredJs) > 500, $"no label colour at opacity 0.6\n{Log}");
        await SetOpacityAsync(page, 0);
        await WaitForColouredAsync(page, "=== 0");
        await SetOpacityAsync(page, 1);
        await WaitForColouredAsync(page, "> 500");
        await Assertions.Expect(page.GetByTestId("host-errors").Locator("li")).ToHaveCountAsync(0);

        await page.GetByTestId("slice-viewer").ScreenshotAsync(new() { Path = "/tmp/viewer-blazor.png" });
    }

    [Fact]
    public async Task Picking_a_missing_volume_shows_the_error_and_picking_another_clears_it()
    {
        // The missing volume's request fails on purpose: the browser's "Failed to load resource" for it is expected.
        Guard.Allow(@"^console error: Failed to load resource: the server responded with a status of 404");
        var page = await OpenAsync();
        await WaitForStatusAsync(page, "loads=1");

        await page.GetByTestId("slice-viewer-volume").SelectOptionAsync("1");
        var error = page.GetByTestId("slice-viewer-error");
        await Assertions.Expect(error).ToContainTextAsync("HTTP 404", new() { Timeout = 30_000 });
        await Assertions.Expect(error).ToContainTextAsync("missing.nii.gz");
        await WaitForStatusAsync(page, "selected=1");
        await WaitForStatusAsync(page, "errors=1"); // OnError raised

        await page.GetByTestId("slice-viewer-volume").SelectOptionAsync("2");
        await WaitForStatusAsync(page, "loads=2");
        await Assertions.Expect(error).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("slice-viewer-legend").Locator("li")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("slice-viewer-opacity")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task Removing_the_component_disposes_the_viewer_and_its_volumes()
    {
        var page = await OpenAsync();
        await WaitForStatusAsync(page, "loads=1");
        const string cachedVolumes =
            "async () => (await import('/_content/MedSeg.Viewer/lib/medseg-viewer/medseg-viewer.js')).getCacheInfo().volumes";
        Assert.Equal(2, await page.EvaluateAsync<int>(cachedVolumes));

        await page.GetByTestId("host-remove").ClickAsync();
        await Assertions.Expect(page.GetByTestId("slice-viewer")).ToHaveCountAsync(0);
        await page.WaitForFunctionAsync(cachedVolumes.Replace(".volumes", ".volumes === 0"), null, new() { Timeout = 10_000 });
        Assert.Empty(Guard.PageErrors);
    }
}

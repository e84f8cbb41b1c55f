using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MedSeg.Viewer.Tests;

/// <summary>
/// The SliceViewer component's layouts (1 × 3, one view, maximise / restore, resizing), slice index, keyboard shortcuts,
/// help tooltip, image-kind presets and caller-given legend, on real Blazor Server pages in Chromium.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SliceViewerLayoutTests(ChromiumFixture fixture) : ViewerBrowserTest(fixture)
{
    [GeneratedRegex(@"^slice (\d+) / (\d+)$")]
    private static partial Regex SliceText();

    private async Task<IPage> OpenLoadedAsync(string path)
    {
        var page = await OpenPageAsync(path);
        await Expect(page.GetByTestId("slice-viewer")).ToHaveAttributeAsync("data-state", "loaded", new() { Timeout = 30_000 });
        return page;
    }

    private static ILocator Cell(IPage page, string plane) => page.Locator($"[data-viewport={plane}]");

    private static async Task<float> WidthAsync(ILocator locator) => (await locator.BoundingBoxAsync())!.Width;

    private static async Task WaitLitAsync(IPage page, string plane) =>
        await page.WaitForFunctionAsync($"() => ({CanvasPixels.LitJs})('{plane}').lit > 1000", null, new() { Timeout = 10_000 });

    [Fact]
    public async Task Layout_switches_between_three_views_and_one_and_a_view_maximises_and_restores()
    {
        var page = await OpenLoadedAsync("/blazor");
        var layout = page.GetByTestId("slice-viewer-layout");
        var host = page.GetByTestId("slice-viewer-viewports");
        var hostWidth = await WidthAsync(host);
        foreach (var plane in new[] { "axial", "coronal", "sagittal" })
        {
            await Expect(Cell(page, plane)).ToBeVisibleAsync();
            // The views use the page's width: a third of it each, far more than the old 237 px.
            Assert.True(await WidthAsync(Cell(page, plane)) > hostWidth / 3 - 10, $"{plane} view narrower than a third of {hostWidth} px");
        }
        Assert.True(hostWidth / 3 > 300, $"viewer only {hostWidth} px wide");

        // Toolbar: one view (coronal) over the full width.
        await layout.Locator("button[data-plane=coronal]").ClickAsync();
        await Expect(Cell(page, "axial")).ToBeHiddenAsync();
        await Expect(Cell(page, "sagittal")).ToBeHiddenAsync();
        await Expect(layout.Locator("button[data-plane=coronal]")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.True(await WidthAsync(Cell(page, "coronal")) > hostWidth - 10);
        await WaitLitAsync(page, "coronal");
        await page.GetByTestId("slice-viewer").ScreenshotAsync(new() { Path = "/tmp/viewer-one-view.png" });

        // The view's own button restores the three views; the toolbar follows (the JS viewer tells the component).
        await Cell(page, "coronal").Locator("[data-maximize=coronal]").ClickAsync();
        await Expect(Cell(page, "axial")).ToBeVisibleAsync();
        await Expect(layout.Locator("button[data-layout='1x3']")).ToHaveAttributeAsync("aria-pressed", "true");

        // Maximise the sagittal view by its button, restore it by a double-click.
        await Cell(page, "sagittal").Locator("[data-maximize=sagittal]").ClickAsync();
        await Expect(Cell(page, "axial")).ToBeHiddenAsync();
        await Expect(layout.Locator("button[data-plane=sagittal]")).ToHaveAttributeAsync("aria-pressed", "true");
        await WaitLitAsync(page, "sagittal");
        await Cell(page, "sagittal").DblClickAsync();
        await Expect(Cell(page, "coronal")).ToBeVisibleAsync();
        await Expect(layout.Locator("button[data-layout='1x3']")).ToHaveAttributeAsync("aria-pressed", "true");

        // Resizing the views (the host's bottom edge; here its height set as the drag would) re-renders them at the new size.
        await host.EvaluateAsync("e => { e.style.height = '520px'; }");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-viewport=axial] canvas').clientHeight > 480", null, new() { Timeout = 10_000 });
        await WaitLitAsync(page, "axial");
    }

    [Fact]
    public async Task Slice_index_follows_the_keyboard_and_o_and_r_toggle_the_overlay_and_reset()
    {
        var page = await OpenLoadedAsync("/blazor");
        var axial = page.Locator("[data-slice-index=axial]");
        await Expect(axial).ToHaveTextAsync(SliceText());
        var start = await SliceAsync(axial);
        Assert.Equal(32, start.Count);
        await Expect(page.Locator("[data-slice-index=coronal]")).ToHaveTextAsync(SliceText());

        await Cell(page, "axial").HoverAsync();
        for (var i = 0; i < 3; i++) await page.Keyboard.PressAsync("ArrowUp");
        await Expect(axial).Not.ToHaveTextAsync($"slice {start.Index} / 32");
        var up = await SliceAsync(axial);
        Assert.Equal(3, Math.Abs(up.Index - start.Index));
        await page.Keyboard.PressAsync("PageDown");
        await Expect(axial).ToHaveTextAsync($"slice {start.Index + Math.Sign(up.Index - start.Index) * 2} / 32");

        Assert.True(await page.EvaluateAsync<int>(CanvasPixels.ColouredJs) > 300, $"no label colour before 'o'\n{Log}");
        await page.Keyboard.PressAsync("o");
        await page.WaitForFunctionAsync($"() => ({CanvasPixels.ColouredJs})() === 0", null, new() { Timeout = 10_000 });
        await page.Keyboard.PressAsync("o");
        await page.WaitForFunctionAsync($"() => ({CanvasPixels.ColouredJs})() > 300", null, new() { Timeout = 10_000 });

        await page.Keyboard.PressAsync("r");
        await Expect(axial).ToHaveTextAsync($"slice {start.Index} / 32");

        var help = await page.GetByTestId("slice-viewer-help").GetAttributeAsync("title");
        Assert.Contains("↑ / PageUp = next slice", help);
        Assert.Contains("o = show / hide the label overlay", help);
        Assert.Contains("r = reset", help);
        // The phantom image (100..1500, no air) is no CT: full range first, no lung window.
        await Expect(page.GetByTestId("slice-viewer-presets")).ToHaveAttributeAsync("data-kind", "generic");
        await Expect(page.Locator("[data-preset=auto]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator("[data-preset=lung]")).ToHaveCountAsync(0);
    }

    private static async Task<(int Index, int Count)> SliceAsync(ILocator label)
    {
        var match = SliceText().Match(await label.TextContentAsync() ?? "");
        Assert.True(match.Success);
        return (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    }

    [Fact]
    public async Task Caller_legend_title_kind_and_one_view_start_reach_the_page()
    {
        var page = await OpenLoadedAsync("/blazor/legend");
        var legend = page.GetByTestId("slice-viewer-legend").Locator("li");
        await Expect(legend).ToHaveTextAsync(["α = 0.5", "α = 1.0"]);
        await Expect(legend.First).ToHaveAttributeAsync("data-color", "#00ff00");
        await Expect(legend.Nth(1)).ToHaveAttributeAsync("data-color", "#3cb44b"); // palette colour of class 2
        await Expect(page.GetByTestId("slice-viewer-legend-title")).ToHaveTextAsync("Fusion α");
        await Expect(page.GetByTestId("slice-viewer-presets")).ToHaveAttributeAsync("data-kind", "fused");
        await Expect(page.Locator("[data-preset=robust]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Cell(page, "axial")).ToBeHiddenAsync();
        await Expect(Cell(page, "sagittal")).ToBeVisibleAsync();
        await WaitLitAsync(page, "sagittal");
    }
}

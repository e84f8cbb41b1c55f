using System.Text.Json;
using Microsoft.Playwright;

namespace MedSeg.Viewer.Tests;

/// <summary>The SliceViewer Razor component on a real Blazor Server page (BlazorHost/ViewerPage.razor) in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SliceViewerComponentTests(ChromiumFixture fixture)
{
    // Copies a plane's canvas into a snapshot slot and returns its count of non-black pixels.
    private const string SnapJs = @"([plane, name]) => {
        const canvas = document.querySelector(`[data-testid=slice-viewer-viewports] [data-viewport=${plane}] canvas`);
        const copy = document.createElement('canvas');
        copy.width = canvas.width; copy.height = canvas.height;
        const ctx = copy.getContext('2d');
        ctx.drawImage(canvas, 0, 0);
        const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
        (window.snaps ??= {})[name] = data;
        let lit = 0;
        for (let i = 0; i < data.length; i += 4) if (Math.max(data[i], data[i + 1], data[i + 2]) > 16) lit++;
        return { lit, total: data.length / 4 };
    }";

    private const string ChangedJs = @"([a, b]) => {
        const x = window.snaps[a], y = window.snaps[b];
        let changed = 0;
        for (let i = 0; i < x.length; i += 4)
            if (Math.abs(x[i] - y[i]) + Math.abs(x[i + 1] - y[i + 1]) + Math.abs(x[i + 2] - y[i + 2]) > 12) changed++;
        return changed;
    }";

    private const string FramesJs = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))))";

    private readonly List<string> _console = [];

    private async Task<IPage> OpenAsync()
    {
        var page = await fixture.Browser.NewPageAsync();
        page.Console += (_, message) => _console.Add($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => _console.Add($"pageerror: {error}");
        await page.GotoAsync(fixture.Server.BaseUrl + "/blazor");
        return page;
    }

    private string Log => string.Join("\n", _console);

    private static async Task WaitForStatusAsync(IPage page, string text) =>
        await Assertions.Expect(page.GetByTestId("host-status")).ToContainTextAsync(text, new() { Timeout = 30_000 });

    private static async Task SetOpacityAsync(IPage page, double value)
    {
        await page.GetByTestId("slice-viewer-opacity").EvaluateAsync(
            "(e, v) => { e.value = String(v); e.dispatchEvent(new Event('input', { bubbles: true })); }", value);
        await Task.Delay(300); // Blazor Server round trip, then JS render
        await page.EvaluateAsync(FramesJs);
    }

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
            var stats = await page.EvaluateAsync<JsonElement>(SnapJs, new[] { plane, plane });
            Assert.True(stats.GetProperty("lit").GetInt32() > stats.GetProperty("total").GetInt32() / 4,
                $"{plane} view is mostly black: {stats}\n{Log}");
        }

        await SetOpacityAsync(page, 0);
        await page.EvaluateAsync(SnapJs, new[] { "axial", "off" });
        await SetOpacityAsync(page, 1);
        await page.EvaluateAsync(SnapJs, new[] { "axial", "on" });
        var changed = await page.EvaluateAsync<int>(ChangedJs, new[] { "off", "on" });
        Assert.True(changed > 500, $"moving the opacity slider changed only {changed} pixels\n{Log}");
        await Assertions.Expect(page.GetByTestId("host-errors").Locator("li")).ToHaveCountAsync(0);

        await page.GetByTestId("slice-viewer").ScreenshotAsync(new() { Path = "/tmp/viewer-blazor.png" });
    }

    [Fact]
    public async Task Picking_a_missing_volume_shows_the_error_and_picking_another_clears_it()
    {
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
        Assert.DoesNotContain(_console, line => line.StartsWith("pageerror", StringComparison.Ordinal));
    }
}

using System.Text.Json;
using MedSeg.Testing;
using Microsoft.Playwright;

namespace MedSeg.Viewer.Tests;

/// <summary>The bundled Cornerstone3D viewer in real Chromium (SwiftShader WebGL2) on real NIfTI files.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SliceViewerBrowserTests(ChromiumFixture fixture) : ViewerBrowserTest(fixture)
{
    private static readonly string[] Planes = ["axial", "coronal", "sagittal"];

    private async Task<IPage> OpenAsync()
    {
        var page = await OpenPageAsync("/");
        await page.WaitForFunctionAsync("() => window.testApiReady === true");
        return page;
    }

    private async Task<JsonElement> LoadAsync(IPage page, string? label = ViewerTestData.Label)
    {
        var result = await page.EvaluateAsync<JsonElement>(
            @"async ([image, label]) => {
                testApi.create({ labelOpacity: 0.6 });
                return await viewer.loadVolume(image, label, { 1: 'liver', 2: 'tumour' });
            }",
            new object?[] { Data(ViewerTestData.Image), label is null ? null : Data(label) });
        await page.WaitForFunctionAsync(
            "() => ['axial','coronal','sagittal'].every(p => testApi.nonBlank(p).count > 0)", null,
            new() { Timeout = 30_000 });
        await page.EvaluateAsync("() => testApi.frames(3)");
        return result;
    }

    [Fact]
    public async Task Three_views_show_the_image_and_the_legend_matches_the_label_classes()
    {
        var page = await OpenAsync();
        var result = await LoadAsync(page);

        foreach (var plane in Planes)
        {
            var stats = await page.EvaluateAsync<JsonElement>("p => testApi.nonBlank(p)", plane);
            var count = stats.GetProperty("count").GetInt32();
            var total = stats.GetProperty("width").GetInt32() * stats.GetProperty("height").GetInt32();
            Assert.True(count > total / 4, $"{plane}: only {count} of {total} pixels are not black\n{Log}");
        }
        Assert.Equal([32, 32, 32], result.GetProperty("dimensions").EnumerateArray().Select(e => e.GetInt32()));
        var legend = result.GetProperty("legend").EnumerateArray().ToList();
        Assert.Equal([1, 2], legend.Select(e => e.GetProperty("id").GetInt32()));
        Assert.Equal(["liver", "tumour"], legend.Select(e => e.GetProperty("name").GetString()));
        Assert.All(legend, e => Assert.Matches("^#[0-9a-f]{6}$", e.GetProperty("color").GetString()!));
        Assert.All(legend, e => Assert.True(e.GetProperty("present").GetBoolean()));

        await page.Locator("[data-testid=slice-viewer-viewports]").ScreenshotAsync(new() { Path = "/tmp/viewer.png" });
    }

    [Fact]
    public async Task Label_overlay_colours_the_pixels_of_the_labelled_voxels()
    {
        var page = await OpenAsync();
        var result = await LoadAsync(page);
        var legendColors = result.GetProperty("legend").EnumerateArray().Select(e => e.GetProperty("color").GetString()).ToArray();

        await page.EvaluateAsync("async () => { viewer.setLabelOpacity(0); await testApi.frames(3); testApi.snap('off', 'axial'); }");
        await page.EvaluateAsync("async () => { viewer.setLabelOpacity(1); await testApi.frames(3); testApi.snap('on', 'axial'); }");
        var diff = await page.EvaluateAsync<JsonElement>("colors => testApi.diff('off', 'on', colors)", legendColors);

        var changed = diff.GetProperty("changed").GetInt32();
        var total = diff.GetProperty("total").GetInt32();
        // Two 8x8 label squares on a 32x32 slice cover 1/8 of it; allow for fit-to-window margins.
        Assert.True(changed > total / 40, $"overlay changed only {changed} of {total} pixels\n{Log}");
        Assert.True(changed < total / 3, $"overlay changed {changed} of {total} pixels, more than the labels cover\n{Log}");
        // The image is grey; the changed pixels must carry the class colours.
        Assert.True(diff.GetProperty("meanChroma").GetDouble() > 60, $"overlay pixels are not coloured: {diff}");
        // At full opacity the fill is the legend colour itself (edges blend, hence 80 %).
        Assert.True(diff.GetProperty("matching").GetInt32() > changed * 8 / 10,
            $"overlay colours do not match the legend {string.Join(", ", legendColors)}: {diff}");
    }

    [Fact]
    public async Task Mouse_wheel_scrolls_the_axial_view_to_another_slice()
    {
        var page = await OpenAsync();
        await LoadAsync(page, label: null);
        var before = await page.EvaluateAsync<JsonElement>("() => viewer.getSlice('axial')");
        await page.EvaluateAsync("() => testApi.snap('before', 'axial')");

        var axial = await page.Locator("[data-viewport=axial]").BoundingBoxAsync();
        await page.Mouse.MoveAsync(axial!.X + axial.Width / 2, axial.Y + axial.Height / 2);
        for (var i = 0; i < 3; i++)
        {
            await page.Mouse.WheelAsync(0, 120);
            await page.EvaluateAsync("() => testApi.frames(2)");
        }
        await page.EvaluateAsync("async () => { await testApi.frames(3); testApi.snap('after', 'axial'); }");
        var after = await page.EvaluateAsync<JsonElement>("() => viewer.getSlice('axial')");
        var diff = await page.EvaluateAsync<JsonElement>("() => testApi.diff('before', 'after')");

        Assert.Equal(32, before.GetProperty("count").GetInt32());
        Assert.NotEqual(before.GetProperty("index").GetInt32(), after.GetProperty("index").GetInt32());
        Assert.True(diff.GetProperty("changed").GetInt32() > diff.GetProperty("total").GetInt32() / 10,
            $"axial pixels barely changed after scrolling: {diff}\n{Log}");
    }

    [Fact]
    public async Task Shift_drag_on_the_axial_view_moves_the_crosshairs_and_the_other_planes()
    {
        var page = await OpenAsync();
        await LoadAsync(page, label: null);
        var coronalBefore = await SliceIndexAsync(page, "coronal");
        var sagittalBefore = await SliceIndexAsync(page, "sagittal");
        var axialBefore = await SliceIndexAsync(page, "axial");

        var axial = await page.Locator("[data-viewport=axial]").BoundingBoxAsync();
        var (cx, cy) = (axial!.X + axial.Width / 2, axial.Y + axial.Height / 2);
        await page.Keyboard.DownAsync("Shift");
        await page.Mouse.MoveAsync(cx, cy);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(cx + axial.Width / 4, cy + axial.Height / 4, new() { Steps = 10 });
        await page.Mouse.UpAsync();
        await page.Keyboard.UpAsync("Shift");
        await page.EvaluateAsync("() => testApi.frames(3)");

        Assert.NotEqual(coronalBefore, await SliceIndexAsync(page, "coronal"));
        Assert.NotEqual(sagittalBefore, await SliceIndexAsync(page, "sagittal"));
        Assert.Equal(axialBefore, await SliceIndexAsync(page, "axial")); // dragging in-plane keeps the axial slice
    }

    private static async Task<int> SliceIndexAsync(IPage page, string plane) =>
        (await page.EvaluateAsync<JsonElement>("p => viewer.getSlice(p)", plane)).GetProperty("index").GetInt32();

    [Fact]
    public async Task Window_level_presets_and_left_drag_change_all_three_views()
    {
        var page = await OpenAsync();
        await LoadAsync(page, label: null);
        var auto = await WindowLevelAsync(page, "axial");
        Assert.Equal(1400, auto.Width, 3); // image range 100..1500
        Assert.Equal(800, auto.Center, 3);

        await page.EvaluateAsync("() => viewer.applyPreset('bone')");
        foreach (var plane in Planes)
        {
            var bone = await WindowLevelAsync(page, plane);
            Assert.Equal(2500, bone.Width, 3);
            Assert.Equal(480, bone.Center, 3);
        }

        await page.EvaluateAsync("() => testApi.snap('before', 'coronal')");
        var axial = await page.Locator("[data-viewport=axial]").BoundingBoxAsync();
        await page.Mouse.MoveAsync(axial!.X + axial.Width / 2, axial.Y + axial.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(axial.X + axial.Width / 2 + 60, axial.Y + axial.Height / 2 + 40, new() { Steps = 8 });
        await page.Mouse.UpAsync();
        await page.EvaluateAsync("async () => { await testApi.frames(3); testApi.snap('after', 'coronal'); }");

        var draggedAxial = await WindowLevelAsync(page, "axial");
        var draggedCoronal = await WindowLevelAsync(page, "coronal");
        Assert.NotEqual((2500.0, 480.0), (draggedAxial.Width, draggedAxial.Center));
        Assert.Equal(draggedAxial, draggedCoronal); // VOI synchroniser
        var diff = await page.EvaluateAsync<JsonElement>("() => testApi.diff('before', 'after')");
        Assert.True(diff.GetProperty("changed").GetInt32() > 0, $"coronal pixels did not follow the window change\n{Log}");
    }

    private static async Task<(double Width, double Center)> WindowLevelAsync(IPage page, string plane)
    {
        var wl = await page.EvaluateAsync<JsonElement>("p => viewer.getWindowLevel(p)", plane);
        return (Math.Round(wl.GetProperty("width").GetDouble(), 3), Math.Round(wl.GetProperty("center").GetDouble(), 3));
    }

    [Fact]
    public async Task Label_map_on_another_grid_is_rejected_with_the_differing_field()
    {
        var page = await OpenAsync();
        var error = await page.EvaluateAsync<string>(
            @"async ([image, label]) => {
                testApi.create({});
                try { await viewer.loadVolume(image, label, {}); return 'loaded'; }
                catch (e) { return e.message; }
            }",
            new[] { Data(ViewerTestData.Image), Data(ViewerTestData.ShortLabel) });
        Assert.Contains("dimensions", error);
        Assert.Contains("[32, 32, 16]", error);
        Assert.Contains(ViewerTestData.ShortLabel, error);
    }

    [Theory]
    [InlineData("missing.nii.gz", "HTTP 404")]
    [InlineData(ViewerTestData.NotNifti, "not a NIfTI file")]
    public async Task Unreadable_image_is_reported_with_url_and_reason(string file, string reason)
    {
        // This test asks for files that fail on purpose: the browser's own "Failed to load resource" for them is expected.
        Guard.Allow(@"^console error: Failed to load resource: the server responded with a status of 404");
        var page = await OpenAsync();
        var error = await page.EvaluateAsync<string>(
            @"async (image) => {
                testApi.create({});
                try { await viewer.loadVolume(image, null, {}); return 'loaded'; }
                catch (e) { return e.message; }
            }", Data(file));
        Assert.StartsWith($"image {Data(file)}: ", error); // names the URL as the caller gave it
        Assert.Contains(reason, error);
    }

    [Fact]
    public async Task Reloading_the_same_image_without_its_label_replaces_the_volumes()
    {
        var page = await OpenAsync();
        await LoadAsync(page);
        var reload = await page.EvaluateAsync<JsonElement>(
            @"async (image) => {
                try { return { ok: await viewer.loadVolume(image, null, {}) }; }
                catch (e) { return { error: e.message + '\n' + e.stack }; }
            }", Data(ViewerTestData.Image));
        Assert.False(reload.TryGetProperty("error", out var error), $"{error}\n{Log}");
        Assert.Empty(reload.GetProperty("ok").GetProperty("legend").EnumerateArray());
        Assert.Equal(1, await page.EvaluateAsync<int>("() => testApi.medseg.getCacheInfo().volumes"));
        await page.EvaluateAsync("() => testApi.frames(3)");
        var stats = await page.EvaluateAsync<JsonElement>("() => testApi.nonBlank('axial')");
        Assert.True(stats.GetProperty("count").GetInt32() > 0, $"axial view blank after reload\n{Log}");
    }

    [Fact]
    public async Task Overlapping_loads_keep_only_the_last_volume()
    {
        var page = await OpenAsync();
        await LoadAsync(page);
        var results = await page.EvaluateAsync<JsonElement>(
            @"async ([image, label]) => {
                const loads = [viewer.loadVolume(image, label, {}), viewer.loadVolume(image, null, {}), viewer.loadVolume(image, label, {})];
                return (await Promise.all(loads)).map(r => r === null ? null : r.legend.length);
            }", new[] { Data(ViewerTestData.Image), Data(ViewerTestData.Label) });

        // Earlier loads resolve to null once overtaken; the last one wins and only its two volumes stay cached.
        Assert.Equal(JsonValueKind.Null, results[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, results[1].ValueKind);
        Assert.Equal(2, results[2].GetInt32());
        Assert.Equal(2, await page.EvaluateAsync<int>("() => testApi.medseg.getCacheInfo().volumes"));
    }

    [Fact]
    public async Task Dispose_releases_volumes_and_removes_the_viewports()
    {
        var page = await OpenAsync();
        await LoadAsync(page);
        var loaded = await page.EvaluateAsync<int>("() => testApi.medseg.getCacheInfo().volumes");
        await page.EvaluateAsync("() => viewer.dispose()");
        var info = await page.EvaluateAsync<JsonElement>(
            "() => ({ volumes: testApi.medseg.getCacheInfo().volumes, children: document.getElementById('viewer').children.length })");

        Assert.Equal(2, loaded);
        Assert.Equal(0, info.GetProperty("volumes").GetInt32());
        Assert.Equal(0, info.GetProperty("children").GetInt32());
    }

    [Fact]
    public async Task Superseding_or_disposing_during_a_large_load_raises_no_error()
    {
        // Regression: a newer load or dispose() released a volume / destroyed the rendering engine while
        // Cornerstone was still loading it into the viewports (setVolumesForViewports reloads the middle
        // slice and then renders through the VOI synchroniser): "The cache was purged before it completed
        // loading" followed by "TypeError: Cannot read properties of undefined (reading 'renderViewport')".
        // The guard fails the test on either; the delays sweep over the load and the viewport switch.
        var page = await OpenAsync();
        var outcome = await page.EvaluateAsync<JsonElement>(
            @"async ([small, large, label]) => {
                const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
                const errors = [];
                const settle = async (promises) => {
                  for (const r of await Promise.allSettled(promises)) {
                    if (r.status === 'rejected') errors.push(String(r.reason?.stack ?? r.reason));
                  }
                };
                // Rapid switching: each load overtakes the previous one at a different stage.
                testApi.create({});
                const loads = [];
                for (const ms of [0, 5, 20, 60, 120, 250]) {
                  loads.push(viewer.loadVolume(ms % 2 ? small : large, ms % 2 ? label : null, {}));
                  await sleep(ms);
                }
                loads.push(viewer.loadVolume(large, null, {}));
                await settle(loads);
                await testApi.frames(3);
                await viewer.dispose();
                // Dispose at different points of a large load: streaming slices, switching viewports.
                for (const ms of [0, 10, 40, 80, 150, 300, 500]) {
                  testApi.create({});
                  const load = viewer.loadVolume(large, null, {});
                  await sleep(ms);
                  await Promise.all([viewer.dispose(), settle([load])]);
                }
                // Dispose while the label map is being added to the viewports (asynchronous in Cornerstone).
                for (const ms of [0, 15, 30, 60, 100, 200]) {
                  testApi.create({});
                  const load = viewer.loadVolume(small, label, {});
                  await sleep(ms);
                  await Promise.all([viewer.dispose(), settle([load])]);
                }
                // Dispose exactly while the viewports switch to the loaded volume.
                testApi.create({});
                const load = viewer.loadVolume(large, null, {});
                for (let i = 0; i < 1000 && viewer.pendingLoads?.size !== 0; i++) await sleep(1);
                await Promise.all([viewer.dispose(), settle([load])]);
                await sleep(500); // lets any late Cornerstone callback surface in the console
                return { errors, volumes: testApi.medseg.getCacheInfo().volumes };
            }", new[] { Data(ViewerTestData.Image), Data(ViewerTestData.Large), Data(ViewerTestData.Label) });

        Assert.Empty(outcome.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, outcome.GetProperty("volumes").GetInt32());
    }

    [Fact]
    public async Task Multi_member_gzip_from_the_default_writer_is_served_as_one_member_and_loads()
    {
        // The default writer stores the 11.8 MB volume as several gzip members (written in parallel).
        using (var oneMember = Core.Nifti.NiftiBrowserGzip.OpenOneMember(Path.Combine(Fixture.Server.DataDirectory, ViewerTestData.Large)))
            Assert.NotNull(oneMember);
        var page = await OpenAsync();
        // The stored bytes (a download: no medsegLoad) stop Chromium's DecompressionStream after the first member;
        // the viewer's tagged request gets one member that inflates to the whole file.
        var inflated = await page.EvaluateAsync<JsonElement>(
            @"async (url) => {
                async function inflate(u) {
                  try {
                    const body = (await fetch(u)).body.pipeThrough(new DecompressionStream('gzip'));
                    let n = 0;
                    for (const reader = body.getReader(); ;) {
                      const { done, value } = await reader.read();
                      if (done) return { bytes: n };
                      n += value.length;
                    }
                  } catch (e) { return { error: String(e.message) }; }
                }
                return { stored: await inflate(url), viewer: await inflate(url + '?medsegLoad=t1') };
            }", Data(ViewerTestData.Large));
        long niiBytes = 352 + 2L * ViewerTestData.LargeSize * ViewerTestData.LargeSize * ViewerTestData.LargeSlices;
        Assert.True(inflated.GetProperty("stored").TryGetProperty("error", out var junk), $"stored multi-member bytes inflated in the browser: {inflated}");
        Assert.Contains("junk", junk.GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(niiBytes, inflated.GetProperty("viewer").GetProperty("bytes").GetInt64());

        var result = await page.EvaluateAsync<JsonElement>(
            @"async (image) => {
                testApi.create({});
                return await viewer.loadVolume(image, null, {});
            }", Data(ViewerTestData.Large));
        Assert.Equal([ViewerTestData.LargeSize, ViewerTestData.LargeSize, ViewerTestData.LargeSlices],
            result.GetProperty("dimensions").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(0, result.GetProperty("range").GetProperty("min").GetDouble());
        Assert.Equal(1999, result.GetProperty("range").GetProperty("max").GetDouble());
        await page.WaitForFunctionAsync("() => testApi.nonBlank('axial').count > 0", null, new() { Timeout = 30_000 });
    }
}

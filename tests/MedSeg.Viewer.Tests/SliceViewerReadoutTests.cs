using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MedSeg.Viewer.Tests;

/// <summary>
/// The JS viewer's cursor readout on an oblique, anisotropic grid (checked against the affine the test wrote), its
/// window/level presets per image kind, and a caller-given legend, in Chromium on real NIfTI files.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SliceViewerReadoutTests(ChromiumFixture fixture) : ViewerBrowserTest(fixture)
{
    [GeneratedRegex(@"^voxel \((\d+), (\d+), (\d+)\) = (\S+)\n(\S+), (\S+), (\S+) mm \(RAS\)(?:\n(.+))?$")]
    private static partial Regex ReadoutPattern();

    private sealed record Reading(int[] Ijk, double Value, double[] Mm, string? Label);

    private async Task<IPage> OpenAsync()
    {
        var page = await OpenPageAsync("/");
        await page.WaitForFunctionAsync("() => window.testApiReady === true");
        return page;
    }

    private static async Task<JsonElement> LoadAsync(IPage page, string image, string? label = null, object? names = null, object? options = null)
    {
        var result = await page.EvaluateAsync<JsonElement>(
            @"async ([image, label, names, options]) => {
                testApi.create({ labelOpacity: 0.6 });
                return await viewer.loadVolume(image, label, names, options ?? {});
            }", new[] { Data(image), label is null ? null : Data(label), names ?? new { }, options });
        await page.EvaluateAsync("() => testApi.frames(3)");
        return result;
    }

    /// <summary>Moves the mouse to (fx, fy) of the axial view (fractions of its box) and parses the readout there.</summary>
    private async Task<Reading> ReadAtAsync(IPage page, double fx, double fy)
    {
        var box = (await page.Locator("[data-viewport=axial]").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync((float)(box.X + box.Width * fx), (float)(box.Y + box.Height * fy), new() { Steps = 3 });
        await page.EvaluateAsync("() => testApi.frames(2)");
        var text = await page.Locator("[data-readout=axial]").TextContentAsync() ?? "";
        var match = ReadoutPattern().Match(text);
        Assert.True(match.Success, $"readout at ({fx}, {fy}) is \"{text}\"\n{Log}");
        double Number(int group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return new Reading([(int)Number(1), (int)Number(2), (int)Number(3)], Number(4), [Number(5), Number(6), Number(7)],
            match.Groups[8].Success ? match.Groups[8].Value : null);
    }

    [Fact]
    public async Task Cursor_readout_gives_the_voxel_its_value_its_affine_millimetres_and_its_label()
    {
        var page = await OpenAsync();
        await LoadAsync(page, ViewerReadoutData.Oblique, ViewerReadoutData.ObliqueLabel,
            ViewerReadoutData.ObliqueClasses.ToDictionary(c => c.Key.ToString(CultureInfo.InvariantCulture), c => c.Value));

        var centre = await ReadAtAsync(page, 0.5, 0.5);
        var right = await ReadAtAsync(page, 0.62, 0.5);
        foreach (var r in new[] { centre, right })
        {
            var (i, j, k) = (r.Ijk[0], r.Ijk[1], r.Ijk[2]);
            // The value encodes the voxel: the readout read the voxel it names.
            Assert.Equal(ViewerReadoutData.ValueAt(i, j, k), r.Value);
            // Millimetres are the NIfTI affine (rotated, anisotropic, off-centre) applied to (i, j, k).
            var expected = ViewerReadoutData.Millimetres(i, j, k);
            for (var axis = 0; axis < 3; axis++)
                Assert.True(Math.Abs(expected[axis] - r.Mm[axis]) < 0.011, $"voxel ({i}, {j}, {k}): mm {string.Join(", ", r.Mm)}, affine gives {string.Join(", ", expected)}");
            var label = ViewerReadoutData.LabelAt(i, j, k);
            Assert.Equal(label == 0 ? "background" : ViewerReadoutData.ObliqueClasses[label], r.Label);
        }
        // Axial views are radiological: screen right is the patient's left, where RAS x falls; y and z stay put.
        Assert.True(right.Mm[0] < centre.Mm[0] - 2, $"moving right went from x {centre.Mm[0]} to {right.Mm[0]} mm");
        Assert.True(Math.Abs(right.Mm[1] - centre.Mm[1]) < 2.5, $"moving right changed y from {centre.Mm[1]} to {right.Mm[1]} mm");

        // 'o' hides the overlay: the label name leaves the readout; a second 'o' brings it back.
        await page.Keyboard.PressAsync("o");
        Assert.Null((await ReadAtAsync(page, 0.5, 0.51)).Label);
        await page.Keyboard.PressAsync("o");
        Assert.NotNull((await ReadAtAsync(page, 0.5, 0.5)).Label);

        // Outside the volume the readout is empty.
        var box = (await page.Locator("[data-viewport=axial]").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 3, box.Y + box.Height - 3);
        await page.EvaluateAsync("() => testApi.frames(2)");
        Assert.Equal("", await page.Locator("[data-readout=axial]").TextContentAsync());
    }

    [Theory]
    [InlineData(ViewerReadoutData.Ct, "auto", "ct", 400, 40)] // soft tissue window in HU
    [InlineData(ViewerReadoutData.Synthetic, "auto", "synthetic", 128, 64)] // full range 0..128, not a CT window
    [InlineData(ViewerReadoutData.Constant, "auto", "synthetic", 2, 3)] // constant image: a non-empty window around it
    [InlineData(ViewerReadoutData.Synthetic, "ct", "ct", 400, 40)] // the caller's kind wins
    public async Task Image_kind_picks_the_presets_and_the_initial_window(string image, string kind, string expectedKind, double width, double center)
    {
        var page = await OpenAsync();
        var result = await LoadAsync(page, image, options: new { kind });
        Assert.Equal(expectedKind, result.GetProperty("kind").GetString());
        var presets = result.GetProperty("presets").EnumerateArray().Select(p => p.GetProperty("key").GetString()).ToList();
        Assert.Equal(result.GetProperty("preset").GetString(), presets[0]);
        Assert.Equal(expectedKind == "ct", presets.Contains("lung"));
        var wl = await page.EvaluateAsync<JsonElement>("() => viewer.getWindowLevel('axial')");
        Assert.Equal(width, wl.GetProperty("width").GetDouble(), 3);
        Assert.Equal(center, wl.GetProperty("center").GetDouble(), 3);
    }

    [Fact]
    public async Task Fused_float_image_with_nan_voxels_gets_a_robust_window_inside_its_range()
    {
        var page = await OpenAsync();
        var result = await LoadAsync(page, ViewerReadoutData.Fused);
        Assert.Equal("fused", result.GetProperty("kind").GetString());
        Assert.Equal("robust", result.GetProperty("preset").GetString());
        var range = result.GetProperty("range");
        var (min, max) = (range.GetProperty("min").GetDouble(), range.GetProperty("max").GetDouble());
        Assert.True(min > -3 && max < 3, $"range {min}..{max} (NaN voxels must not count)");
        var wl = await page.EvaluateAsync<JsonElement>("() => viewer.getWindowLevel('axial')");
        var (lower, upper) = (wl.GetProperty("center").GetDouble() - wl.GetProperty("width").GetDouble() / 2,
            wl.GetProperty("center").GetDouble() + wl.GetProperty("width").GetDouble() / 2);
        Assert.True(lower > min && upper < max && upper - lower > (max - min) / 2, $"window {lower}..{upper} for range {min}..{max}");
        var lit = await page.EvaluateAsync<JsonElement>("() => testApi.nonBlank('axial')");
        Assert.True(lit.GetProperty("count").GetInt32() > 0, $"fused image not drawn\n{Log}");

        var error = await page.EvaluateAsync<string>(
            "async (image) => { try { await viewer.loadVolume(image, null, {}, { kind: 'mri' }); return 'loaded'; } catch (e) { return e.message; } }",
            Data(ViewerReadoutData.Fused));
        Assert.Contains("Unknown image kind \"mri\"", error);
    }

    [Fact]
    public async Task Caller_legend_names_and_colours_the_overlay()
    {
        var page = await OpenAsync();
        var result = await LoadAsync(page, ViewerReadoutData.Oblique, ViewerReadoutData.ObliqueLabel,
            options: new { legend = new[] { new { id = 1, name = "α = 0.5", color = "#00ff00" } } });
        var legend = result.GetProperty("legend").EnumerateArray().ToList();
        Assert.Equal(["α = 0.5", "class 2"], legend.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("#00ff00", legend[0].GetProperty("color").GetString());

        await page.EvaluateAsync("async () => { viewer.setLabelOpacity(0); await testApi.frames(3); testApi.snap('off', 'axial'); }");
        await page.EvaluateAsync("async () => { viewer.setLabelOpacity(1); await testApi.frames(3); testApi.snap('on', 'axial'); }");
        var diff = await page.EvaluateAsync<JsonElement>("() => testApi.diff('off', 'on', ['#00ff00'])");
        Assert.True(diff.GetProperty("matching").GetInt32() > 100, $"no pixel in the given colour: {diff}\n{Log}");

        var error = await page.EvaluateAsync<string>(
            "async ([image, label]) => { try { await viewer.loadVolume(image, label, {}, { legend: [{ id: 1, name: 'x', color: 'green' }] }); return 'loaded'; } catch (e) { return e.message; } }",
            new[] { Data(ViewerReadoutData.Oblique), Data(ViewerReadoutData.ObliqueLabel) });
        Assert.Contains("colour \"green\" is not of the form #rrggbb", error);
    }
}

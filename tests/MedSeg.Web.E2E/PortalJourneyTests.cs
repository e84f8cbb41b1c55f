using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using MedSeg.Web.E2E.Harness;

namespace MedSeg.Web.E2E;

/// <summary>
/// A new lab on a fresh installation, step by step in a real browser against the real portal process:
/// the first user registers (PI), signs out and in, generates a 16-volume 64³ AVS-DB dataset, watches it
/// progress live, scrolls through it in the viewer with the label overlay; a second user joins as a member;
/// anonymous visitors are sent to the login page; and everything survives a hard kill and restart.
/// </summary>
[Collection(PortalCollection.Name)]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class PortalJourneyTests(PortalFixture fixture, JourneyState state, ITestOutputHelper output)
    : E2ETest(fixture, output), IClassFixture<JourneyState>
{
    private const string PiEmail = "pi@lab.test";
    private const string MemberEmail = "member@lab.test";
    private const string DatasetName = "e2e-avsdb-16x64";
    private const int VolumeCount = 16;
    private const int ShapesPerVolume = 150;

    [Fact, Step(1)]
    public Task First_user_registers_as_PI_signs_out_and_signs_in_again() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await PortalPages.RegisterAsync(page, PiEmail);
        await Expect(page.GetByTestId("current-role")).ToHaveTextAsync("PI");

        await PortalPages.LogoutAsync(page);
        await Expect(page.GetByTestId("login-email")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("current-user")).ToHaveCountAsync(0);

        await PortalPages.LoginAsync(page, PiEmail);
        await Expect(page.GetByTestId("current-role")).ToHaveTextAsync("PI");

        // Dark mode is remembered across reloads (issue 12, point 5), and back to light again.
        await PortalPages.WaitInteractiveAsync(page);
        var toggle = page.GetByTestId("theme-toggle");
        var before = await toggle.GetAttributeAsync("data-dark");
        var flipped = before == "true" ? "false" : "true";
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("data-dark", flipped);
        await page.ReloadAsync();
        await PortalPages.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("data-dark", flipped);
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("data-dark", before!);
        state.PiEmail = PiEmail;
        state.PiStorageState = await page.Context.StorageStateAsync();
    });

    [Fact, Step(2)]
    public Task PI_creates_a_16_volume_64_cubed_dataset_and_watches_it_progress_live_to_Completed() => RunAsync(async () =>
    {
        var page = await NewPageAsync(JourneyState.Require(state.PiStorageState, "step 1 (PI registration)"));
        // The default spec generates 16 volumes of 64³ in about half a second, too fast to watch; a crowded one
        // (more shapes, most tried at many places before being dropped) takes seconds, so progress can be seen live.
        await PortalPages.CreateDatasetAsync(page, DatasetName, VolumeCount, 64, ShapesPerVolume, submit: false);
        foreach (var plane in new[] { "axial", "coronal", "sagittal" })
            await Expect(page.GetByTestId($"preview-{plane}")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/e2e-create-form.png", FullPage = true });

        var clock = Stopwatch.StartNew();
        await page.GetByTestId("create-submit").ClickAsync();
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, @"/datasets/\d+$"));
        var id = PortalPages.DatasetIdOf(page.Url);
        await Expect(page.GetByTestId("dataset-name")).ToHaveTextAsync(DatasetName);

        // Record every value the progress bar shows, as the DOM changes (no polling gaps, no reloads).
        await page.EvaluateAsync(RecordProgressJs);
        await Expect(page.GetByTestId("status-chip").First).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 180_000 });
        var generation = clock.Elapsed;
        Figure("generate 16x64^3 in the portal (click Generate -> Completed shown)", generation);

        var samples = (await page.EvaluateAsync<JsonElement>("() => window.__progress")).EnumerateArray()
            .Select(s => (Done: s.GetProperty("done").GetInt32(), Bar: s.GetProperty("bar").GetDouble())).ToList();
        Output.WriteLine("progress seen: " + string.Join(" ", samples.Select(s => $"{s.Done}({s.Bar:0})")));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"), "the page reloaded while generating");
        var doneValues = samples.Select(s => s.Done).Distinct().ToList();
        var barValues = samples.Select(s => s.Bar).Distinct().ToList();
        Assert.True(doneValues.Count >= 3, $"expected the volume count to rise at least twice live, saw {string.Join(", ", doneValues)}");
        Assert.True(barValues.Count >= 3, $"expected the bar value to rise at least twice live, saw {string.Join(", ", barValues)}");
        Assert.Equal(doneValues.Order(), doneValues); // never goes back
        Assert.Equal(barValues.Order(), barValues);
        Assert.Equal(VolumeCount, doneValues[^1]);
        Assert.Equal(100, barValues[^1], 3);
        await Expect(page.GetByTestId("dataset-volumes")).ToHaveTextAsync($"{VolumeCount} / {VolumeCount}");
        await Expect(page.GetByTestId("progress-text")).ToContainTextAsync($"{VolumeCount} / {VolumeCount} volumes");

        // The list shows it too, completed.
        await page.GetByTestId("nav-datasets").ClickAsync();
        var row = page.GetByTestId("datasets-grid").Locator("tr", new() { Has = page.GetByText(DatasetName) });
        await Expect(row.GetByTestId("status-chip")).ToHaveAttributeAsync("data-status", "Completed");
        state.DatasetId = id;
        state.DatasetName = DatasetName;
    });

    // Every change of the progress element's values, deduplicated; window.__noReload vanishes on a reload.
    private const string RecordProgressJs = @"() => {
        window.__noReload = true;
        const values = [];
        const read = () => {
            const p = document.querySelector('[data-testid=progress]');
            if (!p) return;
            const bar = p.querySelector('[role=progressbar]');
            const v = { done: Number(p.dataset.done), bar: bar ? Number(bar.getAttribute('aria-valuenow')) : -1 };
            const last = values[values.length - 1];
            if (!last || last.done !== v.done || last.bar !== v.bar) values.push(v);
        };
        read();
        new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        window.__progress = values;
    }";

    [Fact, Step(3)]
    public Task Viewer_shows_three_planes_the_label_overlay_wheel_scrolling_and_the_volume_picker() => RunAsync(async () =>
    {
        var id = JourneyState.Require(state.DatasetId, "step 2 (dataset generation)");
        var page = await NewPageAsync(JourneyState.Require(state.PiStorageState, "step 1 (PI registration)"));
        var clock = Stopwatch.StartNew();
        await page.GotoAsync($"/datasets/{id}");
        Figure("dataset page load (navigation -> load event)", clock.Elapsed);
        await PortalPages.WaitInteractiveAsync(page);
        Figure("dataset page interactive (circuit up)", clock.Elapsed);
        await Expect(page.GetByTestId("status-chip").First).ToHaveAttributeAsync("data-status", "Completed");
        await Expect(page.GetByTestId("dataset-delete")).ToBeVisibleAsync(); // the PI manages it

        var firstPaint = await CanvasProbe.WaitForAsync(page, "axial", s => s.Lit > 0, TimeSpan.FromSeconds(60));
        Figure("viewer first paint (navigation -> axial canvas non-blank)", clock.Elapsed);
        Assert.True(firstPaint.Lit > 0, "axial canvas stayed blank\n" + Log);
        // The image paints before the load ends (the label map is added after it): wait for the viewer's own state.
        await Expect(page.GetByTestId("slice-viewer")).ToHaveAttributeAsync("data-state", "loaded", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("slice-viewer-loading")).ToHaveCountAsync(0);

        // The label overlay: opacity 0 shows no label colour, opacity 1 colours the labelled voxels.
        await CanvasProbe.SetOpacityAsync(page, 0);
        var off = await CanvasProbe.WaitForColouredAsync(page, c => c == 0);
        // All three planes paint the image itself (grey shapes on black), overlay off.
        foreach (var plane in CanvasProbe.Planes)
        {
            var stats = await CanvasProbe.WaitForAsync(page, plane, s => s.Lit > s.Total / 20);
            Output.WriteLine($"{plane} (overlay off): {stats}");
            Assert.True(stats.Lit > stats.Total / 20, $"{plane} view is (almost) blank: {stats}\n{Log}");
        }
        await CanvasProbe.SetOpacityAsync(page, 1);
        var on = await CanvasProbe.WaitForColouredAsync(page, c => c > off + 200);
        Output.WriteLine($"label-coloured pixels (3 planes): opacity 0 -> {off}, opacity 1 -> {on}");
        Assert.Equal(0, off);
        Assert.True(on > off + 200, $"the overlay at opacity 1 coloured only {on} pixels (opacity 0: {off})\n{Log}");
        await CanvasProbe.SetOpacityAsync(page, 0.5);
        await CanvasProbe.WaitForColouredAsync(page, c => c > 200);
        // The legend names the dataset's classes.
        var legend = page.GetByTestId("slice-viewer-legend").Locator("li");
        Assert.True(await legend.CountAsync() >= 2, "legend lists fewer than two classes");
        await Expect(page.GetByTestId("slice-viewer-error")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = "/tmp/e2e-dataset-viewer.png", FullPage = true });

        // Mouse wheel over the axial view moves to other slices.
        await CanvasProbe.SnapAsync(page, "before-wheel", "axial");
        var axial = await page.GetByTestId("slice-viewer-viewports").Locator("[data-viewport=axial]").BoundingBoxAsync();
        await page.Mouse.MoveAsync(axial!.X + axial.Width / 2, axial.Y + axial.Height / 2);
        for (var i = 0; i < 8; i++) await page.Mouse.WheelAsync(0, 120);
        var scrolled = await CanvasProbe.WaitForChangeAsync(page, "before-wheel", "axial", firstPaint.Total / 100);
        Assert.True(scrolled >= firstPaint.Total / 100, $"wheel changed only {scrolled} axial pixels\n{Log}");

        // The picker switches to another volume: other pixels.
        await CanvasProbe.SnapAsync(page, "volume-0", "axial");
        await page.GetByTestId("slice-viewer-volume").SelectOptionAsync("1");
        var switched = await CanvasProbe.WaitForChangeAsync(page, "volume-0", "axial", firstPaint.Total / 100);
        Assert.True(switched >= firstPaint.Total / 100, $"picking volume 1 changed only {switched} axial pixels\n{Log}");
        await Expect(page.GetByTestId("slice-viewer-volume")).ToHaveValueAsync("1");
        Assert.Equal(VolumeCount, await page.GetByTestId("slice-viewer-volume").Locator("option").CountAsync());
        await Expect(page.GetByTestId("slice-viewer-error")).ToHaveCountAsync(0);
        Assert.Empty(Log.PageErrors);
    });

    [Fact, Step(4)]
    public Task Second_user_joins_as_Member_sees_the_lab_dataset_but_may_not_manage_it() => RunAsync(async () =>
    {
        var id = JourneyState.Require(state.DatasetId, "step 2 (dataset generation)");
        var page = await NewPageAsync();
        await PortalPages.RegisterAsync(page, MemberEmail);
        await Expect(page.GetByTestId("current-role")).ToHaveTextAsync("Member");

        // Everyone in the lab reads the lab's datasets (PortalUser.CanRead); only owners and the PI manage them.
        await page.GotoAsync("/datasets");
        var link = page.GetByTestId("dataset-link").Filter(new() { HasText = DatasetName });
        await Expect(link).ToHaveCountAsync(1);
        await link.ClickAsync();
        await page.WaitForURLAsync($"**/datasets/{id}");
        // The detail page's own button first: the URL changes before the page replaces the list, whose row has a status chip too.
        await Expect(page.GetByTestId("dataset-download")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("status-chip").First).ToHaveAttributeAsync("data-status", "Completed");
        await PortalPages.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("dataset-delete")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("dataset-resume")).ToHaveCountAsync(0);
    });

    [Fact, Step(5)]
    public Task Anonymous_visitor_is_sent_to_the_login_page_and_the_api_answers_401() => RunAsync(async () =>
    {
        var id = JourneyState.Require(state.DatasetId, "step 2 (dataset generation)");
        var page = await NewPageAsync();
        await page.GotoAsync($"/datasets/{id}");
        await page.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(Uri.EscapeDataString($"/datasets/{id}"), page.Url);
        await Expect(page.GetByTestId("login-email")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("dataset-name")).ToHaveCountAsync(0);

        var api = await page.APIRequest.GetAsync($"/api/datasets/{id}/volumes/0/image", new() { MaxRedirects = 0 });
        Assert.Equal(401, api.Status);
    });

    [Fact, Step(6)]
    public Task After_a_hard_kill_and_restart_the_PI_is_still_signed_in_and_the_dataset_is_intact() => RunAsync(async () =>
    {
        var id = JourneyState.Require(state.DatasetId, "step 2 (dataset generation)");
        var storage = JourneyState.Require(state.PiStorageState, "step 1 (PI registration)");
        AllowServerRestart();
        Fixture.Portal.Kill();
        Assert.False(Fixture.Portal.IsRunning);
        await Fixture.Portal.RestartAsync();
        Figure("portal restart (process start -> login page answers)", Fixture.Portal.LastStartupTime);

        var page = await NewPageAsync(storage);
        await page.GotoAsync($"/datasets/{id}");
        await Expect(page.GetByTestId("current-user")).ToHaveTextAsync(PiEmail);
        await Expect(page.GetByTestId("status-chip").First).ToHaveAttributeAsync("data-status", "Completed");
        await Expect(page.GetByTestId("dataset-volumes")).ToHaveTextAsync($"{VolumeCount} / {VolumeCount}");
        var axial = await CanvasProbe.WaitForAsync(page, "axial", s => s.Lit > s.Total / 50, TimeSpan.FromSeconds(60));
        Assert.True(axial.Lit > axial.Total / 50, $"viewer blank after restart: {axial}\n{Log}");
    });

    [Fact, Step(7)]
    public Task A_hard_kill_during_generation_leaves_the_dataset_Interrupted_and_Resume_completes_it() => RunAsync(async () =>
    {
        var storage = JourneyState.Require(state.PiStorageState, "step 1 (PI registration)");
        const int count = 20;
        var page = await NewPageAsync(storage);
        var id = await PortalPages.CreateDatasetAsync(page, "e2e-interrupted", count, 64, ShapesPerVolume);
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=progress]')?.dataset.done) >= 2",
            null, new() { Timeout = 60_000 });
        AllowServerRestart();
        Fixture.Portal.Kill();
        await Fixture.Portal.RestartAsync();

        page = await NewPageAsync(storage);
        await page.GotoAsync($"/datasets/{id}");
        await PortalPages.WaitInteractiveAsync(page);
        await Expect(PortalPages.StatusChip(page)).ToHaveAttributeAsync("data-status", "Interrupted");
        var kept = await PortalPages.VolumesDoneAsync(page);
        Output.WriteLine($"volumes kept after the kill: {kept} of {count}");
        Assert.InRange(kept, 1, count - 1);
        Assert.Contains("Marked 1 dataset(s) left running as Interrupted", Fixture.Portal.Output);
        await Expect(page.GetByTestId("dataset-error")).ToContainTextAsync("server stopped");
        // The class histogram of the volumes finished before the kill (manifest.partial.jsonl), marked as partial.
        await Expect(page.GetByTestId("class-histogram-partial")).ToContainTextAsync("So far");
        await Expect(page.GetByTestId("class-histogram").Locator("svg").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/e2e-interrupted.png", FullPage = true });

        await page.GetByTestId("dataset-resume").ClickAsync();
        await Expect(PortalPages.StatusChip(page)).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 180_000 });
        await Expect(page.GetByTestId("dataset-volumes")).ToHaveTextAsync($"{count} / {count}");
        await Expect(page.GetByTestId("class-histogram-partial")).ToHaveCountAsync(0); // the full manifest now
        // The picker lists every volume, the viewer shows one.
        Assert.Equal(count, await page.GetByTestId("slice-viewer-volume").Locator("option").CountAsync());
        var axial = await CanvasProbe.WaitForAsync(page, "axial", s => s.Lit > s.Total / 50, TimeSpan.FromSeconds(60));
        Assert.True(axial.Lit > axial.Total / 50, $"viewer blank after resume: {axial}\n{Log}");
    });

    [Fact, Step(8)]
    public Task A_BasicUNet_run_on_the_stored_dataset_is_watched_from_its_first_step_with_a_live_chart() => RunAsync(async () =>
    {
        // Issue 12, point 1: the run page died ("An unhandled error has occurred") when the first loss points arrived.
        var storage = JourneyState.Require(state.PiStorageState, "step 1 (PI registration)");
        JourneyState.Require(state.DatasetId, "step 2 (dataset generation)");
        const int steps = 6;
        var page = await NewPageAsync(storage);
        await page.GotoAsync("/runs/new");
        await PortalPages.WaitInteractiveAsync(page);
        await PortalPages.SetFieldAsync(page, "run-name", "e2e-basicunet-stored");
        await PortalPages.ChooseAsync(page, "run-method", "FDSL (dataset folder)");
        await PortalPages.ChooseAsync(page, "run-dataset", DatasetName);
        await PortalPages.ChooseAsync(page, "run-model", "BasicUNet");
        await Expect(page.GetByTestId("run-model")).ToHaveTextAsync("BasicUNet");
        await PortalPages.SetFieldAsync(page, "run-crop", "32");
        await PortalPages.SetFieldAsync(page, "run-batch", "1");
        await PortalPages.SwitchOnAsync(page, "run-use-steps");
        await PortalPages.SetFieldAsync(page, "run-steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await PortalPages.SetFieldAsync(page, "run-checkpoint-every", steps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await PortalPages.SetFieldAsync(page, "run-val-every", "0");
        await Expect(page.GetByTestId("run-config-errors")).ToHaveCountAsync(0);

        await page.GetByTestId("run-submit").ClickAsync();
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, @"/runs/\d+$"));
        await RunPageWatch.StartAsync(page);
        await PortalPages.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 240_000 });
        await Expect(page.GetByTestId("run-step")).ToHaveTextAsync(steps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("loss-chart")).ToHaveAttributeAsync("data-raw-points", steps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await RunPageWatch.CheckAsync(page);
        await page.ScreenshotAsync(new() { Path = "/tmp/e2e-basicunet-stored-run.png", FullPage = true });
    });
}

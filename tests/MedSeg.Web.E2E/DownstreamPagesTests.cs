using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using MedSeg.Web.E2E.Harness;

namespace MedSeg.Web.E2E;

/// <summary>The downstream pages get a portal process of their own (its first user is the PI and owns every run).</summary>
[CollectionDefinition(Name)]
public sealed class DownstreamPortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "downstream e2e";
}

/// <summary>
/// Downstream evaluation in a real browser: a tiny FDSL run (BasicUNet, small features, 32³, queued over the HTTP API)
/// and a SYNTHETIC phantom dataset generated with the `medseg` CLI and uploaded in the import dialog (4 train / 1 val / 1
/// test cases); the fine-tune
/// settings dialog queues a fine-tune and a scratch baseline, both finish on CPU and show as rows with per-organ Dice
/// on /runs/downstream; the fine-tune run's Predictions card switches between prediction, ground truth and agreement.
/// </summary>
[Collection(DownstreamPortalCollection.Name)]
public sealed class DownstreamPagesTests(PortalFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Email = "downstream@lab.test";
    private const string PretrainName = "e2e-fdsl-basicunet";
    private const string Dataset = "downstream/phantom";
    private const int PretrainSteps = 30;
    private const int FineTuneSteps = 24;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5); // generous: a loaded 2-core machine

    [Fact]
    public Task Fine_tune_and_scratch_baseline_queued_from_the_form_reach_the_downstream_board_and_show_predictions() => RunAsync(async () =>
    {
        var clock = Stopwatch.StartNew();
        var page = await NewPageAsync();
        await PortalPages.RegisterAsync(page, Email);

        // Data as a user prepares it (CLI + upload in the portal), while the pretraining run trains.
        var work = Directory.CreateTempSubdirectory("medseg-e2e-downstream-").FullName;
        try
        {
            var spec = await TinySpecAsync(work);
            var pretrainId = await QueuePretrainingAsync(page, spec);
            await ImportPhantomAsync(page, work);
            Figure("downstream setup (register, spec, queue FDSL, phantom generate + upload in the import dialog)", clock.Elapsed);

            await page.GotoAsync($"/runs/{pretrainId}");
            await PortalPages.WaitInteractiveAsync(page);
            await Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
            Figure("tiny FDSL run completed", clock.Elapsed);
            // The panel lists the datasets when it is first drawn: reload now that the run and the import are done.
            await page.ReloadAsync();
            await PortalPages.WaitInteractiveAsync(page);

            var fineTuneId = await QueueFromDialogAsync(page, "downstream-queue", "Whole network", checkValidation: true);
            // A second page watches the fine-tune from its first step (issue 12, point 1: the run page died when the
            // first loss points arrived) while this one queues the baseline.
            var watcher = await NewPageAsync(await page.Context.StorageStateAsync());
            await watcher.GotoAsync($"/runs/{fineTuneId}");
            await RunPageWatch.StartAsync(watcher);
            await PortalPages.WaitInteractiveAsync(watcher);
            await page.GotoAsync($"/runs/{pretrainId}");
            await PortalPages.WaitInteractiveAsync(page);
            var scratchId = await QueueFromDialogAsync(page, "downstream-scratch", "Scratch (random weights)", checkValidation: false);

            // Runs train one at a time in queue order: the scratch baseline finishes last.
            await WaitFinishedAsync(watcher, fineTuneId);
            await RunPageWatch.CheckAsync(watcher);
            await page.GotoAsync($"/runs/{scratchId}");
            await PortalPages.WaitInteractiveAsync(page);
            await WaitFinishedAsync(page, scratchId);
            Figure("fine-tune + scratch baseline completed", clock.Elapsed);

            await CheckBoardAsync(page, fineTuneId, scratchId);
            await CheckPredictionsAsync(page, fineTuneId);
            Figure("downstream pages test total", clock.Elapsed);
            Assert.Empty(Log.PageErrors);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    });

    /// <summary>An on-the-fly AVS-DB spec for 32³ volumes as `medseg generate avsdb --size 32` writes it (few shapes: fast).</summary>
    private static async Task<JsonNode> TinySpecAsync(string work)
    {
        var folder = Path.Combine(work, "avsdb");
        await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "generate", "avsdb", "--out", folder, "--count", "1", "--size", "32", "--seed", "1");
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "spec.json")))!;
        spec["shapesPerVolume"] = 6;
        return spec;
    }

    /// <summary>Queues the tiny pretraining run through the portal's HTTP API (signed in with the page's cookies).</summary>
    private async Task<int> QueuePretrainingAsync(IPage page, JsonNode spec)
    {
        var body = new JsonObject
        {
            ["name"] = PretrainName,
            ["config"] = JsonNode.Parse($$"""
                {"model":"BasicUNet","modelArgs":{"features":"(4, 4, 8, 8, 16, 4)"},"crop":32,"batchSize":1,"samples":8,
                 "steps":{{PretrainSteps}},"checkpointEvery":{{PretrainSteps}},"keepLast":1,"validationEvery":0,
                 "loaderWorkers":1,"prefetch":2,"torchThreads":1,"learningRate":0.001,"device":"cpu","seed":1}
                """),
            ["spec"] = spec,
            ["tags"] = "e2e, downstream",
        };
        var response = await page.APIRequest.PostAsync("/api/runs", new()
        {
            Data = body.ToJsonString(),
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["X-MedSeg-Request"] = "1" },
        });
        var text = await response.TextAsync();
        Assert.True(response.Status == 201, $"POST /api/runs answered {response.Status}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>
    /// 6 phantom cases (64×64×24) generated with the CLI, zipped as MSD ships them (one top folder) and uploaded through
    /// /runs/downstream's import dialog (a bad name is named and blocks Import first): 4 train, 1 validation, 1 test.
    /// </summary>
    private async Task ImportPhantomAsync(IPage page, string work)
    {
        var raw = Path.Combine(work, "Task99_Phantom");
        await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "generate", "phantom", "--out", raw, "--count", "6", "--size", "64,64,24", "--seed", "5", "--threads", "1");
        var zip = Path.Combine(work, "Task99_Phantom.zip");
        ZipFile.CreateFromDirectory(raw, zip, CompressionLevel.Fastest, includeBaseDirectory: true);

        await page.GotoAsync("/runs/downstream");
        await PortalPages.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("downstream-no-datasets")).ToBeVisibleAsync();
        await page.GetByTestId("downstream-import").ClickAsync();
        await Expect(page.GetByTestId("import-submit")).ToBeDisabledAsync(); // no file chosen yet
        await page.GetByTestId("import-file").SetInputFilesAsync(zip);
        await Expect(PortalPages.Field(page, "import-name")).ToHaveValueAsync("Task99_Phantom"); // suggested from the file
        await PortalPages.SetFieldAsync(page, "import-name", "my phantom!");
        await Expect(page.GetByTestId("import-error")).ToContainTextAsync("Name must be 1–64 letters");
        await Expect(page.GetByTestId("import-submit")).ToBeDisabledAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/e2e-downstream-import-dialog.png" });
        await PortalPages.SetFieldAsync(page, "import-name", Dataset.Split('/')[1]);
        await PortalPages.SetFieldAsync(page, "import-val", "0.17");
        await PortalPages.SetFieldAsync(page, "import-test", "0.17");
        await PortalPages.SetFieldAsync(page, "import-seed", "1");
        await Expect(page.GetByTestId("import-error")).ToHaveCountAsync(0);
        await page.GetByTestId("import-submit").ClickAsync();
        await Expect(page.GetByTestId("import-dialog")).ToHaveCountAsync(0, new() { Timeout = 120_000 });
        await Expect(page.GetByText($"Imported {Dataset}: 6 labelled cases (train 4, validation 1, test 1)")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("downstream-no-datasets")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = "/tmp/e2e-downstream-imported.png" });

        var split = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Fixture.Portal.DataRoot, Dataset, "split.json"))).RootElement;
        Assert.Equal((4, 1, 1), (Count(split, "train"), Count(split, "val"), Count(split, "test")));
        Assert.Equal([Dataset.Split('/')[1]], Directory.GetFileSystemEntries(Path.Combine(Fixture.Portal.DataRoot, "downstream")).Select(Path.GetFileName));
    }

    private static int Count(JsonElement split, string key) =>
        split.EnumerateObject().Where(p => p.Name.Equals(key, StringComparison.OrdinalIgnoreCase)).Select(p => p.Value.GetArrayLength()).Single();

    /// <summary>
    /// Opens the settings dialog from the run page's panel, checks its defaults (and, once, that a bad value is named and
    /// blocks Queue), sets tiny CPU settings, queues, and returns the new run's id from the page it lands on.
    /// </summary>
    private async Task<int> QueueFromDialogAsync(IPage page, string button, string init, bool checkValidation)
    {
        await page.GetByTestId(button).ClickAsync();
        var dialog = page.GetByTestId("finetune-dialog");
        await Expect(page.GetByTestId("ft-submit")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("ft-dataset")).ToHaveTextAsync(Dataset);
        await Expect(page.GetByTestId("ft-init")).ToHaveTextAsync(init);
        await Expect(PortalPages.Field(page, "ft-patch")).ToHaveValueAsync("32"); // the pretraining crop
        await Expect(PortalPages.Field(page, "ft-hu-min")).ToHaveValueAsync("-175");
        if (checkValidation)
        {
            await PortalPages.SetFieldAsync(page, "ft-steps", "0");
            await Expect(page.GetByTestId("ft-error")).ToContainTextAsync("Steps must be at least 1 (got 0).");
            await Expect(page.GetByTestId("ft-submit")).ToBeDisabledAsync();
        }
        await PortalPages.SetFieldAsync(page, "ft-steps", FineTuneSteps.ToString());
        await PortalPages.SetFieldAsync(page, "ft-val-every", (FineTuneSteps / 2).ToString());
        await PortalPages.SetFieldAsync(page, "ft-lr", "0.003");
        await PortalPages.SetFieldAsync(page, "ft-seed", "3");
        await Expect(page.GetByTestId("ft-error")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("ft-submit")).ToBeEnabledAsync();
        await page.ScreenshotAsync(new() { Path = $"/tmp/e2e-finetune-dialog-{button}.png" });

        var from = new Uri(page.Url).AbsolutePath; // the pretraining run's page, itself a /runs/{id}
        await page.GetByTestId("ft-submit").ClickAsync();
        // Blazor navigates in the document (history.pushState): poll the location rather than wait for a navigation event.
        var path = await (await page.WaitForFunctionAsync(
            "from => location.pathname !== from && /^\\/runs\\/\\d+$/.test(location.pathname) ? location.pathname : null", from,
            new() { Timeout = 30_000 })).JsonValueAsync<string>();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("run-title")).Not.ToHaveTextAsync(PretrainName);
        var id = int.Parse(path.Split('/').Last(), CultureInfo.InvariantCulture);
        // The chosen settings are the run's stored config, shown on its page.
        await Expect(ConfigValue(page, "steps")).ToHaveTextAsync(FineTuneSteps.ToString());
        await Expect(ConfigValue(page, "learningRate")).ToHaveTextAsync("0.003");
        await Expect(ConfigValue(page, "validationEvery")).ToHaveTextAsync((FineTuneSteps / 2).ToString());
        await Expect(ConfigValue(page, "datasetDir")).ToHaveTextAsync(Dataset);
        await Expect(ConfigValue(page, "init")).ToHaveTextAsync(init == "Whole network" ? new Regex("^run:runs/\\d+$") : new Regex("^scratch$"));
        return id;
    }

    private static ILocator ConfigValue(IPage page, string key) =>
        page.Locator($"[data-testid=run-config-row][data-key='{key}'] [data-testid=run-config-value]");

    private async Task WaitFinishedAsync(IPage page, int id)
    {
        var status = page.GetByTestId("run-status");
        await Expect(status).ToHaveAttributeAsync("data-status", new Regex("^(Completed|Failed|Cancelled|Interrupted)$"),
            new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        var final = await status.GetAttributeAsync("data-status");
        var error = await page.GetByTestId("run-error").CountAsync() > 0 ? await page.GetByTestId("run-error").TextContentAsync() : "";
        Assert.True(final == "Completed", $"run {id} ended {final}: {error}");
        await Expect(page.GetByTestId("run-step")).ToHaveTextAsync(FineTuneSteps.ToString());
    }

    /// <summary>/runs/downstream: one row per run (fine-tune labelled by its pretraining run, baseline "scratch"), a Dice per organ.</summary>
    private async Task CheckBoardAsync(IPage page, int fineTuneId, int scratchId)
    {
        await page.GotoAsync($"/runs/downstream?dataset={Uri.EscapeDataString(Dataset)}");
        await PortalPages.WaitInteractiveAsync(page);
        var organs = await page.GetByTestId("downstream-class").AllTextContentsAsync();
        Assert.Equal(5, organs.Count); // the phantom's labelled organs (background left out)
        foreach (var (id, init) in new[] { (fineTuneId, PretrainName), (scratchId, "scratch") })
        {
            var row = page.Locator($"[data-testid=downstream-row][data-run='{id}']");
            await Expect(row).ToBeVisibleAsync();
            await Expect(row.GetByTestId("downstream-init")).ToHaveTextAsync(init);
            var cells = await row.Locator("td").AllTextContentsAsync(); // pretraining, init, run link, one per organ, mean Dice, mean ASSD
            Assert.Equal(3 + organs.Count + 2, cells.Count);
            var dice = cells.Skip(3).Take(organs.Count + 1).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToList();
            Output.WriteLine($"{init}: {string.Join(", ", organs.Zip(dice, (o, d) => $"{o} {d:0.000}"))}, mean {dice[^1]:0.000}");
            Assert.All(dice, d => Assert.InRange(d, 0, 1));
        }
        await Expect(page.GetByTestId("downstream-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("downstream-chart")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/e2e-downstream-board.png", FullPage = true });
    }

    /// <summary>The fine-tune run's Predictions card: the image with each overlay, and the legend following the overlay.</summary>
    private async Task CheckPredictionsAsync(IPage page, int fineTuneId)
    {
        await page.GotoAsync($"/runs/{fineTuneId}");
        await PortalPages.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("run-predictions")).ToBeVisibleAsync();

        var shown = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (mode, label) in new[] { ("prediction", "Prediction"), ("label", "Ground truth"), ("agreement", "Agreement") })
        {
            if (mode != "prediction") await SelectOverlayAsync(page, label);
            await Expect(page.GetByTestId("prediction-mode")).ToHaveTextAsync(label);
            await Expect(page.GetByTestId("slice-viewer-loading")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            foreach (var plane in CanvasProbe.Planes)
            {
                var stats = await CanvasProbe.WaitForAsync(page, plane, s => s.Lit > s.Total / 50, TimeSpan.FromSeconds(60));
                Output.WriteLine($"{mode} {plane}: {stats}");
                Assert.True(stats.Lit > stats.Total / 50, $"{mode}: the {plane} view is (almost) blank: {stats}\n{Log}");
            }
            if (mode != "prediction") // the ground truth has organs; the agreement map colours correct / missed voxels
            {
                var coloured = await CanvasProbe.WaitForColouredAsync(page, c => c > 50);
                Assert.True(coloured > 50, $"{mode}: only {coloured} overlay-coloured pixels\n{Log}");
            }
            var legend = page.GetByTestId("slice-viewer-legend").Locator("li");
            await Expect(legend.First).ToBeVisibleAsync();
            shown[mode] = (await legend.AllTextContentsAsync()).Select(t => t.Trim()).ToList();
            Output.WriteLine($"{mode} legend: {string.Join(" | ", shown[mode])}");
            await Expect(page.GetByTestId("prediction-legend")).ToHaveCountAsync(mode == "agreement" ? 1 : 0);
            await Expect(page.GetByTestId("slice-viewer-error")).ToHaveCountAsync(0);
            await page.GetByTestId("run-predictions").ScreenshotAsync(new() { Path = $"/tmp/e2e-predictions-{mode}.png" });
        }
        Assert.Contains(shown["label"], t => t.Contains("liver", StringComparison.OrdinalIgnoreCase)); // dataset.json's organ names
        Assert.Equal(shown["prediction"], shown["label"]);
        Assert.Contains(shown["agreement"], t => t.Contains("false negative"));
        Assert.Contains(shown["agreement"], t => t.Contains("correct"));
        Assert.DoesNotContain(shown["agreement"], t => t.Contains("liver", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Picks an entry of the Predictions card's overlay select (a MudSelect: open it, click the item).</summary>
    private static async Task SelectOverlayAsync(IPage page, string label)
    {
        await PortalPages.ChooseAsync(page, "prediction-mode", label);
    }
}

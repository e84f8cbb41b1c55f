using MedSeg.Web.E2E.Harness;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MedSeg.Web.E2E;

/// <summary>
/// An LWI run's page shows its pretext preview in the slice viewer (the shuffled + masked first sample with the slot legend
/// reading the permutation) while it is queued or training, and after the tiny run the reconstruction at its newest
/// checkpoint. Fails on any console or page error.
/// </summary>
[Collection(MethodRunsPortalCollection.Name)]
public sealed class PretextPreviewTests(PortalFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public Task Lwi_run_page_shows_the_shuffled_masked_input_and_after_training_its_reconstruction() => RunAsync(async () =>
    {
        var work = Directory.CreateTempSubdirectory("medseg-e2e-lwi-").FullName;
        try
        {
            var raw = Path.Combine(work, "raw");
            await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "generate", "phantom", "--out", raw, "--count", "4", "--size", "40,40,36", "--seed", "5", "--threads", "1");
            await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "import", "msd", raw, "--out", Path.Combine(Fixture.Portal.DataRoot, "downstream", "lwi-phantom"), "--val", "0.25", "--seed", "1");

            var page = await NewPageAsync();
            await PortalPages.RegisterAsync(page, "lwi@lab.test");
            await page.GotoAsync("/runs");
            var id = await PortalPages.PostRunAsync(page, """
                {"name":"e2e-lwi","method":"lwi","downstream":"downstream/lwi-phantom","config":{"crop":32,"chunks":2,"featureSize":4,
                 "batchSize":2,"steps":3,"warmupSteps":1,"learningRate":0.001,"checkpointEvery":3,"torchThreads":1,"loaderWorkers":1,
                 "modelArgs":{"hidden_size":"24","mlp_dim":"48","num_heads":"2"}}}
                """);
            await page.GotoAsync($"/runs/{id}");
            await PortalPages.WaitInteractiveAsync(page);

            var preview = page.GetByTestId("pretext-preview");
            await Expect(page.GetByTestId("pretext-preview-caption")).ToContainTextAsync("Depth cut into 2 chunks of 16 slices", new() { Timeout = 60_000 });
            await Expect(preview.GetByTestId("slice-viewer").First).ToBeVisibleAsync();
            var legend = preview.GetByTestId("slice-viewer-legend").First.Locator("li");
            await Expect(legend.First).ToBeVisibleAsync(new() { Timeout = 60_000 }); // the legend comes with the loaded label map
            await Expect(preview.GetByTestId("slice-viewer-loading")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            var entries = (await legend.AllTextContentsAsync()).Select(t => t.Trim()).ToList();
            Output.WriteLine("legend: " + string.Join(" | ", entries));
            Assert.Contains(entries, e => e.Contains("slot 1 ← original chunk"));
            Assert.Contains(entries, e => e.Contains("slot 2 ← original chunk"));
            await Expect(preview.GetByTestId("slice-viewer-error")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("pretext-preview-error")).ToHaveCountAsync(0);

            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(6);
            while (await page.GetByTestId("run-status").GetAttributeAsync("data-status") is var status && status != "Completed")
            {
                Assert.True(status != "Failed", "the LWI run failed: " + await page.GetByTestId("run-status").TextContentAsync());
                Assert.True(DateTime.UtcNow < deadline, $"the LWI run did not complete in time (status {status})");
                await Task.Delay(250);
            }
            await Expect(page.GetByTestId("pretext-reconstruction-step")).ToHaveTextAsync("Reconstruction at step 3 (newest checkpoint)", new() { Timeout = 60_000 });
            var reconstruction = page.GetByTestId("pretext-reconstruction");
            await Expect(reconstruction.GetByTestId("slice-viewer-viewports")).ToBeVisibleAsync();
            await Task.Delay(500); // the viewer starts loading after its first render
            await Expect(reconstruction.GetByTestId("slice-viewer-loading")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            await Expect(reconstruction.GetByTestId("slice-viewer-error")).ToHaveCountAsync(0);
            Assert.True(File.Exists(Path.Combine(Fixture.Portal.DataRoot, "runs", id.ToString(), "preview", "reconstruction-step-3.nii.gz")));
            await preview.ScreenshotAsync(new() { Path = "/tmp/e2e-lwi-preview.png" });
        }
        finally { Directory.Delete(work, recursive: true); }
    });
}

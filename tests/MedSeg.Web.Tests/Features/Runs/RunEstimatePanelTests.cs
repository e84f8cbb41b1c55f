using Bunit;
using MedSeg.Web.Features.Runs.Components;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// Issue 12 "Estimates before big work" on the run form: memory per step from the calibrated estimate, the server's
/// memory limit enforced before Start, step time from a real probe (cached per configuration), total duration, and a
/// confirmation dialog for a run over a day.
/// </summary>
public sealed class RunEstimatePanelTests : PortalComponentTest
{
    private static RunDraft Tiny(int steps)
    {
        var draft = new RunDraft { Name = "tiny", SpecVolumeSize = 32 };
        draft.Options.Model = "BasicUNet";
        draft.Options.ModelArgs["features"] = "(4, 4, 8, 8, 16, 4)";
        draft.Options.Crop = 32;
        draft.Options.BatchSize = 1;
        draft.Options.Device = "cpu";
        draft.UseSteps = true;
        draft.Steps = steps;
        return draft;
    }

    private IRenderedComponent<MudBlazor.MudDialogProvider>? dialogs;

    private IRenderedComponent<RunConfigForm> RenderForm(RunDraft draft, Action<RunDraft>? onSubmit = null)
    {
        Render<MudBlazor.MudPopoverProvider>();
        dialogs = Render<MudBlazor.MudDialogProvider>();
        return Render<RunConfigForm>(p => p.Add(c => c.Model, draft).Add(c => c.OnSubmit, m => onSubmit?.Invoke(m)));
    }

    [Fact]
    public async Task Panel_ShowsMemoryPerStep_ForTheConfiguration()
    {
        var form = RenderForm(Tiny(10));

        await form.WaitForAssertionAsync(() => Assert.StartsWith("Memory per step: about", form.Find("[data-testid=run-estimate-memory]").TextContent), TimeSpan.FromSeconds(30));
        Assert.Contains("server limit", form.Find("[data-testid=run-estimate-memory]").TextContent);
        Assert.Contains("Step time: not measured", form.Find("[data-testid=run-estimate-step]").TextContent);
    }

    [Fact]
    public async Task Form_OverTheServersMemoryLimit_NamesEstimateAndLimit_AndBlocksStart()
    {
        Limits.MaxRunMemoryBytes = 256L << 20;
        var draft = Tiny(10);
        draft.Options.ModelArgs["features"] = "(32, 32, 64, 128, 256, 32)";
        draft.Options.Crop = 96;
        draft.SpecVolumeSize = 96;
        draft.Options.BatchSize = 8;

        var form = RenderForm(draft);

        await form.WaitForAssertionAsync(() => Assert.Contains(form.FindAll("[data-testid=run-config-error]"),
            e => e.TextContent.StartsWith("Memory: this run needs an estimated") && e.TextContent.Contains("more than the server's limit of 256 MiB")
                 && e.TextContent.Contains("Lower Batch size (8) or Crop (96)")), TimeSpan.FromSeconds(30));
        Assert.Equal("true", form.Find("[data-testid=run-estimate]").GetAttribute("data-over-limit"));
        Assert.True(form.Find("[data-testid=run-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Probe_MeasuresStepTime_GivesDuration_AndAsksBeforeARunOverADay()
    {
        RunDraft? submitted = null;
        var form = RenderForm(Tiny(1_000_000), d => submitted = d);
        await form.WaitForAssertionAsync(() => Assert.StartsWith("Memory per step: about", form.Find("[data-testid=run-estimate-memory]").TextContent), TimeSpan.FromSeconds(30));

        form.Find("[data-testid=run-estimate-probe]").Click();

        await form.WaitForAssertionAsync(() => Assert.StartsWith("Step time on cpu: about", form.Find("[data-testid=run-estimate-step]").TextContent), TimeSpan.FromSeconds(120));
        Assert.Contains("one step of batch 1 at 32³", form.Find("[data-testid=run-estimate-step]").TextContent);
        Assert.StartsWith("Total: about", form.Find("[data-testid=run-estimate-duration]").TextContent);
        Assert.Contains("1,000,000 steps", form.Find("[data-testid=run-estimate-duration]").TextContent);
        // A million steps of even a tiny network take more than a day on a CPU: Start asks first.
        Assert.Equal("true", form.Find("[data-testid=run-estimate]").GetAttribute("data-needs-confirmation"));

        form.Find("[data-testid=run-submit]").Click();
        await dialogs!.WaitForAssertionAsync(() => Assert.Contains("more than a day", dialogs.Markup));
        Assert.Null(submitted);
        ClickDialogButton("Cancel");
        Assert.Null(submitted);

        form.Find("[data-testid=run-submit]").Click();
        await dialogs!.WaitForAssertionAsync(() => Assert.Contains("Queue anyway", dialogs.Markup));
        ClickDialogButton("Queue anyway");
        await form.WaitForAssertionAsync(() => Assert.NotNull(submitted));
    }

    [Fact]
    public async Task Probe_IsCachedPerConfiguration()
    {
        var probes = Services.GetService(typeof(MedSeg.Web.Features.Runs.StepTimeProbes)) as MedSeg.Web.Features.Runs.StepTimeProbes;
        var options = Tiny(10).ToOptions();
        Assert.Null(probes!.Cached(options, 17));

        var first = await probes.MeasureAsync(options, 17);

        Assert.Same(first, probes.Cached(options, 17));
        Assert.Same(first, await probes.MeasureAsync(options, 17));
        options.BatchSize = 4;
        Assert.Same(first, probes.Cached(options, 17)); // batch scales the probe; it does not repeat it
        Assert.Equal(first.ProbeMs * 4, first.MsPerStep(4, 32), 6);
    }

    private void ClickDialogButton(string text) =>
        dialogs!.FindAll("button").First(b => b.TextContent.Trim() == text).Click();
}

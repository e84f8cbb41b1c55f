using AngleSharp.Dom;
using Bunit;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MedSeg.Web.Tests.Features.Runs;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Runs.Pages;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Tests.Features.Downstream;

/// <summary>
/// The fine-tune settings dialog on a completed FDSL run's page, against a real SQLite database, the real
/// TrainingRunService and a real imported phantom dataset (no trainer: queued runs stay queued).
/// </summary>
public sealed class FineTuneFormTests : RunPageTestBase
{
    private const int PretrainId = 1;
    private string dataset = "";
    private Task opening = Task.CompletedTask;
    private IRenderedComponent<MudPopoverProvider> popovers = default!;


    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(string button)
    {
        var pretrain = Run(PretrainId, "fdsl-tiny", TrainingRunStatus.Completed, best: 0.5);
        pretrain.Method = TrainingMethods.Fdsl;
        pretrain.ModelName = "BasicUNet";
        pretrain.ConfigJson = """{"model":"BasicUNet","featureSize":12,"modelArgs":{"features":"(4, 4, 8, 8, 16, 4)"},"crop":32,"batchSize":1,"steps":10}""";
        await SeedAsync(pi: true, pretrain);
        var root = Services.GetRequiredService<DataPaths>().DataRoot;
        dataset = DownstreamPhantom.Create(root, rawDir: Path.Combine(root, "raw-phantom"));
        popovers = Render<MudPopoverProvider>(); // select lists open here
        var dialogs = Render<MudDialogProvider>();
        var page = Render<RunDetail>(p => p.Add(c => c.Id, PretrainId));
        // The click's handler awaits the dialog's result: it completes only when the dialog closes.
        opening = page.WaitForElement($"[data-testid={button}]").ClickAsync(new());
        dialogs.WaitForElement("[data-testid=ft-submit]");
        return dialogs;
    }

    private static IElement Field(IRenderedComponent<MudDialogProvider> d, string testId) =>
        d.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    /// <summary>What a MudSelect shows (its data-testid sits on the element displaying the choice).</summary>
    private static string Selected(IRenderedComponent<MudDialogProvider> d, string testId) => d.Find($"[data-testid={testId}]").TextContent.Trim();

    private static void Type(IRenderedComponent<MudDialogProvider> d, string testId, string value) => Field(d, testId).Input(value);

    /// <summary>A field's change can be applied on the renderer's queue after Input returns (seen under load): wait for it.</summary>
    private static void Eventually(IRenderedComponent<MudDialogProvider> d, Action assertion) => d.WaitForAssertion(assertion, TimeSpan.FromSeconds(10));

    private static List<string> Errors(IRenderedComponent<MudDialogProvider> d) =>
        d.FindAll("[data-testid=ft-error]").Select(e => e.TextContent).ToList();

    private async Task<List<TrainingRun>> FineTuneRunsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContextAsync();
        return await db.TrainingRuns.AsNoTracking().Where(r => r.Method == TrainingMethods.FineTune).OrderBy(r => r.Id).ToListAsync();
    }

    [Fact]
    public async Task Dialog_OpensWithFineTuneOptionsDefaults_AndThePretrainingCropAsPatch()
    {
        var d = await OpenAsync("downstream-queue");

        Assert.Equal(dataset, Selected(d, "ft-dataset"));
        Assert.Equal("Whole network", Selected(d, "ft-init"));
        var defaults = new MedSeg.Training.FineTune.FineTuneOptions();
        Assert.Equal(defaults.Steps.ToString(), Field(d, "ft-steps").GetAttribute("value"));
        Assert.Equal("0.0001", Field(d, "ft-lr").GetAttribute("value"));
        Assert.Equal(defaults.BatchSize.ToString(), Field(d, "ft-batch").GetAttribute("value"));
        Assert.Equal("32", Field(d, "ft-patch").GetAttribute("value")); // the run's crop, not FineTuneOptions' 96
        Assert.Equal(defaults.ValidationEvery.ToString(), Field(d, "ft-val-every").GetAttribute("value"));
        Assert.Equal("0.5", Field(d, "ft-overlap").GetAttribute("value"));
        Assert.Equal(["1.5", "1.5", "2"], new[] { "x", "y", "z" }.Select(a => Field(d, $"ft-spacing-{a}").GetAttribute("value")));
        Assert.Equal(["-175", "250"], new[] { "min", "max" }.Select(a => Field(d, $"ft-hu-{a}").GetAttribute("value")));
        Assert.Equal("0", Field(d, "ft-seed").GetAttribute("value"));
        Assert.Contains("BasicUNet", d.Find("[data-testid=finetune-network]").TextContent);
        Assert.Empty(Errors(d));
        Assert.False(d.Find("[data-testid=ft-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task InvalidValues_ShowMessagesNamingFieldAndValue_AndBlockQueue()
    {
        var d = await OpenAsync("downstream-queue");

        Type(d, "ft-steps", "0");
        Type(d, "ft-overlap", "1.5");
        Type(d, "ft-hu-max", "-300");

        Eventually(d, () =>
        {
            var errors = Errors(d);
            Assert.Contains("Steps must be at least 1 (got 0).", errors); // the form's label, not FineTuneOptions.Steps (--steps)
            Assert.Contains(errors, e => e.Contains("Window overlap") && e.Contains("1.5"));
            Assert.Contains(errors, e => e.Contains("intensityMax") && e.Contains("-300") && e.Contains("-175"));
        });
        var submit = d.Find("[data-testid=ft-submit]");
        Assert.True(submit.HasAttribute("disabled"));
        await submit.ClickAsync(new());
        Assert.Empty(await FineTuneRunsAsync());

        Type(d, "ft-steps", "20"); // fixing one leaves the others
        Eventually(d, () =>
        {
            Assert.DoesNotContain(Errors(d), e => e.Contains("Steps"));
            Assert.Equal(2, Errors(d).Count);
        });

        Type(d, "ft-patch", "40"); // the pretraining network (BasicUNet) halves the patch four times
        Eventually(d, () => Assert.Contains("Patch (voxels per edge) must be a multiple of 16 for BasicUNet, got 40.", Errors(d)));
        Type(d, "ft-patch", "48");
        Eventually(d, () => Assert.Equal(2, Errors(d).Count));
    }

    [Fact]
    public async Task StepsOverTheServersLimit_AreRefusedByTheField_AndTheDialogStaysOpen()
    {
        var d = await OpenAsync("downstream-queue");
        Type(d, "ft-steps", "2000000"); // valid for FineTuneOptions, above Limits:MaxSteps (1,000,000): the field's bound

        Eventually(d, () => Assert.Contains("Steps must be at most 1,000,000 (got 2,000,000).", Errors(d)));
        Assert.True(d.Find("[data-testid=ft-submit]").HasAttribute("disabled"));
        await d.Find("[data-testid=ft-submit]").ClickAsync(new());
        Assert.False(opening.IsCompleted); // still open: the user can fix the value
        Assert.Empty(await FineTuneRunsAsync());
        Type(d, "ft-steps", "20");
        Eventually(d, () => Assert.Empty(Errors(d)));
    }

    [Fact]
    public async Task ValidSubmit_QueuesARunWhoseConfigHoldsTheChosenSettings_ShownOnItsPage()
    {
        var d = await OpenAsync("downstream-queue");
        Type(d, "ft-steps", "40");
        Type(d, "ft-lr", "0.002");
        Type(d, "ft-batch", "1");
        Type(d, "ft-patch", "48");
        Type(d, "ft-val-every", "10");
        Type(d, "ft-overlap", "0.25");
        Type(d, "ft-spacing-z", "3");
        Type(d, "ft-hu-min", "-100");
        Type(d, "ft-hu-max", "200");
        Type(d, "ft-seed", "7");
        Eventually(d, () => Assert.Empty(Errors(d)));

        await d.Find("[data-testid=ft-submit]").ClickAsync(new());
        await opening.WaitAsync(TimeSpan.FromSeconds(30)); // the dialog closed with the queued run

        var run = Assert.Single(await FineTuneRunsAsync());
        Assert.Equal(TrainingRunStatus.Queued, run.Status);
        Assert.Equal(40, run.TotalSteps);
        var o = FineTuneRunConfig.Read(run.ConfigJson, "queued run");
        Assert.Equal((40, 0.002, 1, 48, 10, 0.25, 7L), (o.Steps, o.LearningRate, o.BatchSize, o.PatchSize, o.ValidationEvery, o.Overlap, o.Seed));
        Assert.Equal([1.5, 1.5, 3.0], o.Preprocessing.TargetSpacing!);
        Assert.Equal((-100.0, 200.0), (o.Preprocessing.IntensityMin, o.Preprocessing.IntensityMax));
        Assert.Equal((dataset, $"run:runs/{PretrainId}", false), (o.DatasetDir, o.Init, o.EncoderOnly));
        Assert.Equal(("BasicUNet", "(4, 4, 8, 8, 16, 4)"), (o.Model, o.ModelArgs["features"])); // the pretraining network
        d.WaitForAssertion(() => Assert.Empty(d.FindAll("[data-testid=ft-submit]"))); // the dialog closed
        Assert.EndsWith($"runs/{run.Id}", Services.GetRequiredService<NavigationManager>().Uri);

        // The run page's configuration view shows the chosen settings.
        var page = Render<RunDetail>(p => p.Add(c => c.Id, run.Id));
        page.WaitForElement("[data-testid=run-config-row]");
        var shown = page.FindAll("[data-testid=run-config-row]").ToDictionary(r => r.GetAttribute("data-key")!, r => r.QuerySelector("[data-testid=run-config-value]")!.TextContent);
        Assert.Equal("40", shown["steps"]);
        Assert.Equal("0.002", shown["learningRate"]);
        Assert.Equal("48", shown["patchSize"]);
        Assert.Equal("0.25", shown["overlap"]);
        Assert.Equal("3", shown["preprocessing.targetSpacing[2]"]);
        Assert.Equal("-100", shown["preprocessing.intensityMin"]);
        Assert.Equal(dataset, shown["datasetDir"]);
        Assert.Equal($"run:runs/{PretrainId}", shown["init"]);
    }

    [Fact]
    public async Task EncoderOnly_PickedInTheDialog_IsRecorded()
    {
        var d = await OpenAsync("downstream-queue");
        await d.Find("[data-testid=ft-init]").MouseDownAsync(new());
        var item = popovers.WaitForElements(".mud-list-item").First(i => i.TextContent.Contains("Encoder only"));
        await item.ClickAsync(new());
        d.WaitForAssertion(() => Assert.Equal("Encoder only", Selected(d, "ft-init")));
        Type(d, "ft-steps", "10");

        await d.Find("[data-testid=ft-submit]").ClickAsync(new());
        await opening.WaitAsync(TimeSpan.FromSeconds(30));

        var o = FineTuneRunConfig.Read(Assert.Single(await FineTuneRunsAsync()).ConfigJson, "queued run");
        Assert.Equal(($"run:runs/{PretrainId}", true, 10), (o.Init, o.EncoderOnly, o.Steps));
    }

    [Fact]
    public async Task ScratchBaseline_WithResamplingOff_RecordsScratchInitAndNoTargetSpacing()
    {
        var d = await OpenAsync("downstream-scratch");
        Assert.Equal("Scratch (random weights)", Selected(d, "ft-init"));
        Type(d, "ft-steps", "12");
        await Field(d, "ft-resample").ChangeAsync(new ChangeEventArgs { Value = false });
        Assert.True(Field(d, "ft-spacing-x").HasAttribute("disabled"));

        await d.Find("[data-testid=ft-submit]").ClickAsync(new());
        await opening.WaitAsync(TimeSpan.FromSeconds(30));

        var o = FineTuneRunConfig.Read(Assert.Single(await FineTuneRunsAsync()).ConfigJson, "queued run");
        Assert.Equal(("scratch", false, 12, 32), (o.Init, o.EncoderOnly, o.Steps, o.PatchSize));
        Assert.Null(o.Preprocessing.TargetSpacing);
    }

    [Fact]
    public async Task NumberFields_ClearedStaysEmpty_OutOfRangeNamesLabelValueAndRange_AndBlocksQueue()
    {
        var d = await OpenAsync("downstream-queue");

        Type(d, "ft-batch", "");
        Type(d, "ft-steps", "99999999");
        Type(d, "ft-lr", "abc");

        var errors = Errors(d);
        Assert.Contains("Batch size (patches) is required: enter a whole number from 1 to 64.", errors);
        Assert.Contains("Steps must be at most 1,000,000 (got 99,999,999).", errors);
        Assert.Contains("Learning rate: 'abc' is not a number; allowed: at most 10.", errors);
        Assert.Equal("", Field(d, "ft-batch").GetAttribute("value"));
        Assert.Equal("99999999", Field(d, "ft-steps").GetAttribute("value"));
        Assert.True(d.Find("[data-testid=ft-submit]").HasAttribute("disabled"));
        await d.Find("[data-testid=ft-submit]").ClickAsync(new());
        Assert.Empty(await FineTuneRunsAsync());
    }
}

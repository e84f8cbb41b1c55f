using AngleSharp.Dom;
using Bunit;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.FineTune;
using MedSeg.Training.Methods.Lwi;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Downstream.Components;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Tests.Features.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MedSeg.Web.Tests.Features.Downstream;

/// <summary>
/// "Initialise with LWI, then train": the settings dialog (LWI stage + fine-tune) against a real SQLite database, the real
/// TrainingRunService and a real imported phantom dataset (no trainer: the LWI run stays queued, the fine-tune waits).
/// </summary>
public sealed class LwiThenTrainDialogTests : RunPageTestBase
{
    private string dataset = "";
    private Task<IDialogReference> shown = default!;

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync()
    {
        await SeedAsync(pi: true);
        dataset = DownstreamPhantom.Create(DataRoot, rawDir: Path.Combine(DataRoot, "raw-phantom"));
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var user = new PortalUser(OwnerId, "owner@runs.test", Labs.Default, IsPI: true);
        shown = dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<LwiThenTrainDialog>("LWI",
            new DialogParameters<LwiThenTrainDialog> { { d => d.Dataset, dataset }, { d => d.User, user } }));
        dialogs.WaitForElement("[data-testid=lwi-submit]");
        return dialogs;
    }

    private static IElement Field(IRenderedComponent<MudDialogProvider> d, string testId) =>
        d.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    private static string Value(IRenderedComponent<MudDialogProvider> d, string testId) => Field(d, testId).GetAttribute("value") ?? "";

    private static void Type(IRenderedComponent<MudDialogProvider> d, string testId, string value) => Field(d, testId).Input(value);

    private static List<string> Errors(IRenderedComponent<MudDialogProvider> d) =>
        d.FindAll("[data-testid=lwi-error]").Select(e => e.TextContent).ToList();

    private async Task<List<TrainingRun>> RunsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContextAsync();
        return await db.TrainingRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
    }

    [Fact]
    public async Task Dialog_OpensWithTheOptionsRecordsDefaults()
    {
        var d = await OpenAsync();
        var lwi = new LwiOptions();
        var fineTune = new FineTuneOptions();

        Assert.Equal("UNETR", d.Find("[data-testid=opt-model]").TextContent.Trim());
        Assert.Equal(lwi.Steps.ToString(), Value(d, "opt-steps"));
        Assert.Equal(lwi.Crop.ToString(), Value(d, "opt-crop"));
        Assert.Equal(lwi.EffectiveChunks.ToString(), Value(d, "opt-chunks")); // 6 of 16 slices at 96³
        Assert.Equal("0.4", Value(d, "opt-maskRatio"));
        Assert.Equal(lwi.MaskPatch.ToString(), Value(d, "opt-maskPatch"));
        Assert.Equal(fineTune.Steps.ToString(), Value(d, "lwi-ft-steps"));
        Assert.Equal("0.0001", Value(d, "lwi-ft-lr"));
        Assert.Empty(Errors(d));
        Assert.False(d.Find("[data-testid=lwi-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task BadValues_AreNamed_BlockQueue_AndLeaveNoRun()
    {
        var d = await OpenAsync();
        Type(d, "opt-chunks", "5");
        Type(d, "opt-maskRatio", "0.99");
        Type(d, "lwi-ft-steps", "0");
        Type(d, "lwi-ft-lr", "0");

        var errors = Errors(d);
        Assert.Contains(errors, e => e.EndsWith("Chunks (--chunks) must divide the crop 96, got 5.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Mask ratio") && e.Contains("0.99") && e.Contains("0.95"));
        Assert.Contains(errors, e => e.Contains("Fine-tune steps") && e.Contains('0'));
        Assert.Contains(errors, e => e.StartsWith("Fine-tune learning rate", StringComparison.Ordinal));
        var submit = d.Find("[data-testid=lwi-submit]");
        Assert.True(submit.HasAttribute("disabled"));
        await submit.ClickAsync(new());
        Assert.Empty(await RunsAsync());

        Type(d, "opt-chunks", "6");
        Type(d, "opt-maskRatio", "0.5");
        Type(d, "lwi-ft-steps", "10");
        Type(d, "lwi-ft-lr", "0.001");
        d.WaitForAssertion(() => Assert.Empty(Errors(d)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Queue_CreatesTheLinkedRunsWithTheChosenSettings()
    {
        var d = await OpenAsync();
        Type(d, "opt-crop", "32");
        Type(d, "opt-chunks", "2");
        Type(d, "opt-maskPatch", "8");
        Type(d, "opt-maskRatio", "0.3");
        Type(d, "opt-steps", "7");
        Type(d, "lwi-ft-steps", "9");
        Type(d, "lwi-ft-lr", "0.002");
        d.WaitForAssertion(() => Assert.Empty(Errors(d)), TimeSpan.FromSeconds(10)); // each field's check re-renders the list
        await d.Find("[data-testid=lwi-submit]").ClickAsync(new());
        var result = await (await shown).Result.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(result!.Canceled);

        var runs = await RunsAsync();
        Assert.Equal(2, runs.Count);
        var (lwi, fineTune) = (runs[0], runs[1]);
        Assert.Equal(("lwi", TrainingRunStatus.Queued, 7), (lwi.Method, lwi.Status, lwi.TotalSteps));
        var options = LwiOptions.FromJson(System.Text.Json.JsonDocument.Parse(lwi.ConfigJson).RootElement);
        Assert.Equal((32, 2, 8, 0.3), (options.Crop, options.Chunks, options.MaskPatch, options.MaskRatio));
        Assert.Equal((TrainingMethods.FineTune, TrainingRunStatus.Paused, "UNETR"), (fineTune.Method, fineTune.Status, fineTune.ModelName));
        var ft = FineTuneRunConfig.Read(fineTune.ConfigJson, "fine-tune");
        Assert.Equal((9, 0.002, 32, $"run:{lwi.RunFolder}", dataset), (ft.Steps, ft.LearningRate, ft.PatchSize, ft.Init, ft.DatasetDir));
    }
}

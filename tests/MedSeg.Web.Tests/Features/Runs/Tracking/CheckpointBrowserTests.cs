using Bunit;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Runs.Pages;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Tests.Features.Downstream;

namespace MedSeg.Web.Tests.Features.Runs.Tracking;

/// <summary>
/// The run page's checkpoint browser (issue 12): a row per complete checkpoint with its loss and validation Dice, a
/// download link, and "Fine-tune…", which opens the fine-tune dialog for that checkpoint and queues a run whose init
/// is that checkpoint's safetensors file (relative to the data root, as stored configs keep paths). Notes render safely.
/// </summary>
public sealed class CheckpointBrowserTests : RunPageTestBase
{
    private const int PretrainId = 1;

    private async Task<string> SeedPretrainingAsync(TrainingRunStatus status)
    {
        var pretrain = Run(PretrainId, "fdsl-tiny", status, best: 0.5);
        pretrain.ModelName = "BasicUNet";
        pretrain.ConfigJson = """{"model":"BasicUNet","featureSize":12,"modelArgs":{"features":"(4, 4, 8, 8, 16, 4)"},"crop":32,"batchSize":1,"steps":10}""";
        pretrain.Notes = "**promising** <img src=x onerror=alert(1)>";
        await SeedAsync(pi: false, pretrain);
        await AddMetricsAsync(PretrainId, Enumerable.Range(1, 6).Select(s => new MedSeg.Web.Features.Runs.RunStepPoint(
            s, DateTime.UtcNow, 1.0 / s, 1e-3, 1, 0, 1000, s == 4 ? 0.3 : null, null, null)));
        var root = Services.GetRequiredService<DataPaths>().DataRoot;
        foreach (var step in new[] { 4, 6 })
        {
            var folder = Path.Combine(root, "runs", $"{PretrainId}", "checkpoints", $"step-{step:D9}");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "state.json"), "{}");
            File.WriteAllBytes(Path.Combine(folder, "model.safetensors"), new byte[100 * step]);
        }
        return DownstreamPhantom.Create(root, rawDir: Path.Combine(root, "raw-phantom"));
    }

    [Fact]
    public async Task Rows_carry_step_metrics_and_fine_tune_queues_from_that_checkpoint_even_before_the_run_completes()
    {
        var dataset = await SeedPretrainingAsync(TrainingRunStatus.Paused);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<RunDetail>(p => p.Add(c => c.Id, PretrainId));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=checkpoint-row]").Count));
        var rows = page.FindAll("[data-testid=checkpoint-row]");
        Assert.Equal(["step-000000006", "step-000000004"], rows.Select(r => r.GetAttribute("data-name")));
        Assert.Equal("0.2500", rows[1].QuerySelector("[data-testid=checkpoint-loss]")!.TextContent);
        Assert.Contains("0.3000", rows[1].TextContent);
        Assert.Equal($"api/runs/{PretrainId}/checkpoints/step-000000004/model.safetensors",
            rows[1].QuerySelector("[data-testid=checkpoint-download]")!.GetAttribute("href"));

        // The notes render as Markdown with the raw HTML shown as text.
        var notes = page.Find("[data-testid=run-notes-html]");
        Assert.Equal("promising", notes.QuerySelector("strong")!.TextContent);
        Assert.Null(notes.QuerySelector("img"));
        Assert.Contains("<img src=x", notes.TextContent);

        var opening = page.FindAll("[data-testid=checkpoint-finetune]")[1].ClickAsync(new());
        dialogs.WaitForElement("[data-testid=ft-submit]");
        Assert.Equal("Fine-tune from checkpoint step-000000004", dialogs.Find("[data-testid=ft-title]").TextContent);
        await dialogs.Find("[data-testid=ft-submit]").ClickAsync(new());
        await opening.WaitAsync(TimeSpan.FromSeconds(30));

        await using var db = await Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContextAsync();
        var queued = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Method == TrainingMethods.FineTune);
        var o = FineTuneRunConfig.Read(queued.ConfigJson, "queued");
        Assert.Equal((dataset, $"safetensors:runs/{PretrainId}/checkpoints/step-000000004/model.safetensors"), (o.DatasetDir, o.Init));
        Assert.Contains("@ step-000000004", queued.Name);
    }

    [Fact]
    public async Task A_checkpoint_that_is_not_in_the_folder_is_refused_naming_it()
    {
        var dataset = await SeedPretrainingAsync(TrainingRunStatus.Completed);
        var runs = Services.GetRequiredService<MedSeg.Web.Features.Runs.TrainingRunService>();
        var user = new MedSeg.Web.Infrastructure.Security.PortalUser(OwnerId, "owner@runs.test", Labs.Default, IsPI: false);
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            runs.QueueDownstreamAsync(PretrainId, dataset, false, user, checkpoint: "../../etc"));
        Assert.Contains("has no checkpoint '../../etc'", error.Message);
    }
}

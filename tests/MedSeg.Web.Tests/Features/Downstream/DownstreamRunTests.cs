using Bunit;
using MedSeg.Data.Entities;
using MudBlazor.Services;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Downstream.Components;
using MedSeg.Web.Features.Downstream.Pages;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Downstream;

/// <summary>Pretrain → downstream fine-tune (and a scratch baseline) through the portal's real training service, then the leaderboard.</summary>
public sealed class DownstreamRunTests
{
    [Fact]
    public async Task PretrainRun_EvaluatedDownstream_And_ScratchBaseline_BothReachTheLeaderboard()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@downstream.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var dataset = DownstreamPhantom.Create(factory.DataRoot);
        Assert.Equal([dataset], factory.Services.GetRequiredService<DownstreamDatasets>().List(MedSeg.Data.Entities.Labs.Default));

        var pretrain = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("fdsl-tiny", 10));
        var pretrained = await RunTestHelpers.WaitForAsync(factory, pretrain.Id, r => r.IsFinished);
        Assert.Equal(TrainingRunStatus.Completed, pretrained.Status);

        // Bad requests name the field and value.
        var bad = await Assert.ThrowsAsync<ArgumentException>(() => RunTestHelpers.WithServiceAsync(factory,
            s => s.QueueDownstreamAsync(pretrain.Id, "downstream/nope", false, user, DownstreamPhantom.Template())));
        Assert.Contains("'downstream/nope'", bad.Message);
        bad = await Assert.ThrowsAsync<ArgumentException>(() => RunTestHelpers.WithServiceAsync(factory,
            s => s.QueueDownstreamAsync(null, dataset, true, user, DownstreamPhantom.Template(), pretrain.Id)));
        Assert.Contains("EncoderOnly", bad.Message);

        var finetune = await RunTestHelpers.WithServiceAsync(factory,
            s => s.QueueDownstreamAsync(pretrain.Id, dataset, false, user, DownstreamPhantom.Template()));
        var scratch = await RunTestHelpers.WithServiceAsync(factory,
            s => s.QueueDownstreamAsync(null, dataset, false, user, DownstreamPhantom.Template(), pretrain.Id));
        Assert.Equal(TrainingMethods.FineTune, finetune.Method);
        Assert.Equal("BasicUNet", scratch.ModelName); // the baseline copies the pretraining run's network

        var timeout = TimeSpan.FromSeconds(150);
        foreach (var id in new[] { finetune.Id, scratch.Id })
        {
            var done = await RunTestHelpers.WaitForAsync(factory, id, r => r.IsFinished, timeout);
            Assert.True(done.Status == TrainingRunStatus.Completed, $"run {id}: {done.Status} {done.ErrorText}");
            Assert.Equal(6, done.CurrentStep);
            RunTestHelpers.AssertContiguous(await RunTestHelpers.StepsAsync(factory, id), 6); // progress went through the live buffer
        }

        using var scope = factory.Services.CreateScope();
        var board = await scope.ServiceProvider.GetRequiredService<DownstreamLeaderboard>().ReadAsync(user, dataset);
        Assert.Equal(2, board.Rows.Count);
        Assert.Equal(["fdsl-tiny", "scratch"], board.Rows.Select(r => r.Init).Order());
        Assert.All(board.Rows, r => Assert.True(double.IsFinite(r.MeanDice) && r.MeanDice is >= 0 and <= 1, $"{r.Init}: {r.MeanDice}"));
        Assert.All(board.Rows, r => Assert.Equal(board.Classes.Select(c => c.Key).Order(), r.Dice.Keys.Order()));
        Assert.Equal(5, board.Classes.Count); // the phantom's organs (background left out)
        // The page (dataset picked by default) renders both rows under the dataset's class names, and the chart.
        await using var bunit = new Bunit.BunitContext();
        bunit.JSInterop.Mode = Bunit.JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
        bunit.Services.AddSingleton(factory.Services.GetRequiredService<DownstreamDatasets>());
        bunit.Services.AddSingleton(new DownstreamLeaderboard(factory.Db, factory.Services.GetRequiredService<DataPaths>()));
        bunit.Services.AddSingleton(_ => factory.Services.CreateScope().ServiceProvider.GetRequiredService<TrainingRunService>());
        bunit.Services.AddSingleton(_ => factory.Services.CreateScope().ServiceProvider.GetRequiredService<MedSeg.Web.Features.OneShotKnn.KnnLeaderboard>());
        var auth = bunit.AddAuthorization();
        auth.SetAuthorized(user.Name);
        auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id),
            new System.Security.Claims.Claim(PortalUser.LabClaim, user.LabId));
        bunit.Render<MudBlazor.MudPopoverProvider>();
        var cut = bunit.Render<DownstreamLeaderboardPage>();
        cut.WaitForElement("[data-testid=downstream-row]");
        Assert.Equal(board.Classes.Select(c => c.Value), cut.FindAll("[data-testid=downstream-class]").Select(th => th.TextContent));
        Assert.Equal(board.Rows.Select(r => r.Init), cut.FindAll("[data-testid=downstream-init]").Select(td => td.TextContent));
        Assert.Equal(board.Rows.Select(r => r.MeanDice.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)),
            cut.FindAll("[data-testid=downstream-mean-dice]").Select(td => td.TextContent));
        Assert.NotEmpty(cut.FindAll("[data-testid=downstream-chart] svg"));
        // The run page's "Evaluate downstream" panel opens the settings dialog, which queues a fine-tune run initialised from this run.
        var dialogs = bunit.Render<MudBlazor.MudDialogProvider>();
        var panel = bunit.Render<EvaluateDownstreamPanel>(p => p.Add(x => x.Run, pretrained).Add(x => x.User, user));
        var opening = panel.Find("[data-testid=downstream-queue]").ClickAsync(new()); // completes when the dialog closes
        await dialogs.WaitForElement("[data-testid=ft-submit]").ClickAsync(new());
        await opening.WaitAsync(TimeSpan.FromSeconds(30));
        await using (var db = await factory.Db.CreateDbContextAsync())
        {
            var queued = db.TrainingRuns.Where(r => r.Method == TrainingMethods.FineTune).OrderBy(r => r.Id).ToList().Last();
            Assert.True(queued.Id > scratch.Id);
            Assert.Contains($"\"init\": \"run:{pretrained.RunFolder}\"", queued.ConfigJson);
        }
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<DownstreamLeaderboard>().ReadAsync(user, "downstream/other") is { Rows: var rows } ? rows : []);
    }
    [Fact]
    public async Task FineTuneRun_Paused_ThenResumed_ContinuesFromItsCheckpoint_AndEvaluates()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@downstream-pause.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var dataset = DownstreamPhantom.Create(factory.DataRoot);
        var architecture = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("arch", 1)); // network to copy
        await RunTestHelpers.WaitForAsync(factory, architecture.Id, r => r.IsFinished);
        var template = DownstreamPhantom.Template();
        template.Steps = 80; // enough that the pause lands before the end on a fast machine
        template.CheckpointEvery = 100; // only the pause writes one
        template.ValidationEvery = 0;
        var run = await RunTestHelpers.WithServiceAsync(factory,
            s => s.QueueDownstreamAsync(null, dataset, false, user, template, architecture.Id));

        await RunTestHelpers.WaitForAsync(factory, run.Id, r => r.CurrentStep >= 2);
        Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.PauseAsync(user, run.Id)));
        var paused = await RunTestHelpers.WaitForAsync(factory, run.Id, r => r.Status != TrainingRunStatus.Running);
        Assert.Equal(TrainingRunStatus.Paused, paused.Status);
        Assert.Equal($"checkpoints/step-{paused.CurrentStep:D9}", paused.LastCheckpointPath);

        Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.ResumeAsync(user, run.Id)));
        var done = await RunTestHelpers.WaitForAsync(factory, run.Id, r => r.IsFinished, TimeSpan.FromSeconds(150));
        Assert.True(done.Status == TrainingRunStatus.Completed, $"{done.Status} {done.ErrorText}");
        RunTestHelpers.AssertContiguous(await RunTestHelpers.StepsAsync(factory, run.Id), 80);
        Assert.Contains(await RunTestHelpers.EventsAsync(factory, run.Id), e => e.Kind == RunEventKinds.Resumed && e.Step == paused.CurrentStep);
        var folder = factory.Services.GetRequiredService<DataPaths>().RunDirectory(done);
        Assert.True(File.Exists(Path.Combine(folder, MedSeg.Training.FineTune.FineTuneEvaluation.FileName)));
    }
}

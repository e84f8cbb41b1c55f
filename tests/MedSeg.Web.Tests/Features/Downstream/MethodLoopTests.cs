using MedSeg.Data.Entities;
using MedSeg.Training.Methods;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Tests.Features.Runs;
using MedSeg.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Web.Tests.Features.Downstream;

/// <summary>
/// The tiny comparison loop from the portal: Volume Fusion, LWI ("Initialise with LWI, then train", two linked runs), Swin
/// UNETR self-supervision and FDSL pretraining, each fine-tuned on the phantom benchmark, plus a scratch baseline; the
/// downstream leaderboard names each row's pretraining method.
/// </summary>
public sealed class MethodLoopTests
{
    [Fact]
    public async Task Volf_LWI_SwinSsl_FDSL_and_scratch_rows_stand_side_by_side_on_the_downstream_leaderboard()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@method-loop.test");
        using var client = account.CreateClient(factory);
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var dataset = DownstreamPhantom.Create(factory.DataRoot, size: [40, 40, 36]); // LWI crops 32³

        // VolF with a tiny BasicUNet on 32³ fused samples (the fine-tune patch is the sub-volume's edge).
        var volfConfig = new
        {
            model = "BasicUNet", modelArgs = new Dictionary<string, string> { ["features"] = "(4, 4, 8, 8, 16, 4)" },
            volf = new { size = new[] { 32, 32, 32 }, boxCountMin = 3, boxCountMax = 8, boxSizeMin = new[] { 2, 4, 4 }, boxSizeMax = new[] { 10, 20, 20 } },
            batchSize = 1, steps = 6, checkpointEvery = 6, torchThreads = 1, loaderWorkers = 1,
        };
        var volf = await MethodRunApiTests.PostAsync(client, new { name = "volf", method = "volf", config = volfConfig, downstream = dataset });
        // Swin SSL at its smallest valid size (SwinUNETR f12, one block per stage, 64³ crops: the last stage needs two
        // tokens), on unlabelled images of a second phantom large enough for the crop; fine-tuned encoder-only at 32³.
        var swinSource = DownstreamPhantom.Create(factory.DataRoot, name: "phantom-ssl", size: [64, 64, 64]);
        var swin = await MethodRunApiTests.PostAsync(client, new { name = "swin-ssl", method = "swin-ssl", config = TinySwinSsl, downstream = swinSource });
        // "Initialise with LWI, then train": the fine-tune waits (Paused, saying for what) until the LWI run completes.
        var (lwi, lwiFineTune) = await RunTestHelpers.WithServiceAsync(factory, s => s.QueueLwiThenFineTuneAsync(user, dataset,
            System.Text.Json.JsonSerializer.Serialize(MethodRunApiTests.TinyLwi(3)), DownstreamPhantom.Template()));
        Assert.Equal((TrainingRunStatus.Paused, "UNETR"), (lwiFineTune.Status, lwiFineTune.ModelName)); // rebuilds the LWI network
        Assert.Contains(await RunTestHelpers.EventsAsync(factory, lwiFineTune.Id),
            e => e.Kind == RunEventKinds.WaitingForRun && e.Message.Contains($"waits for run {lwi.Id}"));
        var fdsl = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("fdsl", 6));
        var timeout = TimeSpan.FromMinutes(6);
        foreach (var id in new[] { volf.Id, lwi.Id, swin.Id, fdsl.Id })
        {
            var done = await RunTestHelpers.WaitForAsync(factory, id, r => r.IsFinished, timeout);
            Assert.True(done.Status == TrainingRunStatus.Completed, $"pretraining run {id}: {done.Status} {done.ErrorText}");
        }

        var fineTunes = new List<TrainingRun> { lwiFineTune };
        foreach (var id in new[] { volf.Id, fdsl.Id })
            fineTunes.Add(await RunTestHelpers.WithServiceAsync(factory, s => s.QueueDownstreamAsync(id, dataset, false, user, DownstreamPhantom.Template())));
        var swinFineTune = await RunTestHelpers.WithServiceAsync(factory, s => s.QueueDownstreamAsync(swin.Id, dataset, true, user, DownstreamPhantom.Template(), patchSize: 32));
        Assert.Equal(("SwinUNETR", 32), (swinFineTune.ModelName, FineTuneRunConfig.Read(swinFineTune.ConfigJson, "swin fine-tune").PatchSize));
        fineTunes.Add(swinFineTune);
        fineTunes.Add(await RunTestHelpers.WithServiceAsync(factory, s => s.QueueDownstreamAsync(null, dataset, false, user, DownstreamPhantom.Template(), fdsl.Id)));
        Assert.Equal("BasicUNet", fineTunes[1].ModelName); // VolF's network, rebuilt for the downstream classes
        foreach (var run in fineTunes)
        {
            var done = await RunTestHelpers.WaitForAsync(factory, run.Id, r => r.IsFinished, timeout);
            Assert.True(done.Status == TrainingRunStatus.Completed, $"fine-tune {run.Id} '{run.Name}': {done.Status} {done.ErrorText}");
        }

        using var scope = factory.Services.CreateScope();
        var board = await scope.ServiceProvider.GetRequiredService<DownstreamLeaderboard>().ReadAsync(user, dataset);
        var catalog = MethodCatalog.Default;
        Assert.Equal(
            new[] { catalog.Get("volf").DisplayName, catalog.Get("lwi").DisplayName, catalog.Get("swin-ssl").DisplayName, catalog.Get("fdsl-avsdb").DisplayName, "scratch" }.Order(),
            board.Rows.Select(r => r.Pretraining).Order());
        Assert.Contains(board.Rows, r => r.Pretraining.StartsWith("LWI", StringComparison.Ordinal) && r.RunId == lwiFineTune.Id);
        Assert.Contains(board.Rows, r => r.RunId == swinFineTune.Id && r.Pretraining == catalog.Get("swin-ssl").DisplayName);
        Assert.All(board.Rows, r => Assert.True(double.IsFinite(r.MeanDice) && r.MeanDice is >= 0 and <= 1, $"{r.Init}: {r.MeanDice}"));
    }

    /// <summary>The smallest Swin SSL run the portal accepts: 2 steps of 2 crops × 2 views at 64³, SwinUNETR f12 depths 1.</summary>
    internal static readonly object TinySwinSsl = new
    {
        crop = 64, featureSize = 12, batchSize = 2, steps = 2, warmupSteps = 1, learningRate = 1e-3, checkpointEvery = 2,
        torchThreads = 1, loaderWorkers = 1,
        modelArgs = new Dictionary<string, string> { ["depths"] = "(1, 1, 1, 1)", ["window_size"] = "4" },
    };
}

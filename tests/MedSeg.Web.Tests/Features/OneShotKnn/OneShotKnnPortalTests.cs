using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSeg.Core.Benchmarks;
using MedSeg.Data.Entities;
using MedSeg.Training.Evaluation.OneShot;
using MedSeg.Web.Features.Benchmarks;
using MedSeg.Web.Features.OneShotKnn;
using MedSeg.Web.Tests.Features.Downstream;
using MedSeg.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Web.Tests.Features.OneShotKnn;

/// <summary>
/// The tiny loop from the portal: "One-shot kNN" with 1 atlas on the SYNTHETIC phantom benchmark for a tiny FDSL run and
/// a tiny 2.5D context run pretrained on the phantom images, through the API and the background worker: bad requests
/// are named and queue nothing; each job runs, its report appears complete in the run's knn/ folder (no staging left),
/// the label transfer of the target is served beside its image and ground truth, the downstream leaderboard's kNN group
/// has both runs side by side, and a benchmark protocol on the FDSL run shows its knn-1 column.
/// </summary>
public sealed class OneShotKnnPortalTests
{
    [Fact]
    public async Task Knn_on_a_pretraining_run_runs_in_the_background_and_reaches_leaderboard_and_benchmark()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@knn.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var dataset = DownstreamPhantom.Create(factory.DataRoot);
        var pretrain = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("fdsl-knn", 4, checkpointEvery: 4));
        using var client = account.CreateClient(factory);

        // Not completed yet / bad input: named, nothing queued.
        var early = await client.PostAsJsonAsync($"/api/runs/{pretrain.Id}/knn", new { dataset, atlases = 10, seed = -1, protocol = "cosine" });
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        var text = await early.Content.ReadAsStringAsync();
        Assert.Contains("Atlases must be 1 to 9 (got 10)", text);
        Assert.Contains("Seed must be 0", text);
        Assert.Contains("Protocol must be paper or dense (got 'cosine')", text);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/runs/9999/knn", new { dataset })).StatusCode);

        var done = await RunTestHelpers.WaitForAsync(factory, pretrain.Id, r => r.IsFinished, TimeSpan.FromMinutes(3));
        Assert.Equal(TrainingRunStatus.Completed, done.Status);
        var tooMany = await client.PostAsJsonAsync($"/api/runs/{pretrain.Id}/knn", new { dataset, atlases = 5 });
        Assert.Contains("offers 4 atlas case(s)", await tooMany.Content.ReadAsStringAsync()); // 4 training cases

        var accepted = await client.PostAsJsonAsync($"/api/runs/{pretrain.Id}/knn", new { dataset, atlases = 1, seed = 3 });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var stem = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("stem").GetString()!;
        Assert.Equal("phantom_paper_n1_s3", stem);

        var finished = await WaitForKnnAsync(client, pretrain.Id);
        Assert.Equal(2, finished.GetProperty("done").GetInt32()); // 1 atlas + 1 target described
        Assert.Equal(2, finished.GetProperty("total").GetInt32());

        var runDir = Path.Combine(factory.DataRoot, done.RunFolder);
        var report = Assert.Single(OneShotKnnStore.List(runDir));
        Assert.Contains(Assert.Single(report.AtlasCases), new[] { "phantom_000", "phantom_001", "phantom_002", "phantom_003" }); // the train split
        Assert.Equal("phantom_005", Assert.Single(report.Targets).Case);   // the test case
        Assert.Equal(["aorta", "left_kidney", "liver", "right_kidney", "spleen"], report.DicePerOrgan.Keys.Order());
        Assert.Empty(Directory.GetDirectories(Path.Combine(runDir, OneShotKnnStore.Folder))); // no staging left behind
        Assert.True(File.Exists(OneShotKnnStore.TransferPath(runDir, report.Options)));

        foreach (var file in new[] { "image", "label", "transfer" })
        {
            var response = await client.GetAsync("/" + KnnApi.FileUrl(pretrain.Id, stem, file));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/" + KnnApi.FileUrl(pretrain.Id, "../../etc", "image"))).StatusCode);

        // The tiny loop's other half: 2.5D context pretraining on the phantom images, then the same evaluation beside FDSL.
        var queued = await client.PostAsJsonAsync("api/runs", new { name = "context-knn", method = "context",
            config = new { task = "Heatmap", steps = 4, batchSize = 2, learningRate = 1e-3, checkpointEvery = 4, torchThreads = 1, seed = 4 }, downstream = dataset });
        Assert.True(queued.StatusCode == HttpStatusCode.Created, await queued.Content.ReadAsStringAsync());
        int contextId = JsonDocument.Parse(await queued.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
        var contextRun = await RunTestHelpers.WaitForAsync(factory, contextId, r => r.IsFinished, TimeSpan.FromMinutes(4));
        Assert.True(contextRun.Status == TrainingRunStatus.Completed, $"{contextRun.Status} {contextRun.ErrorText}");
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/runs/{contextId}/knn", new { dataset, atlases = 1, seed = 3 })).StatusCode);
        await WaitForKnnAsync(client, contextId);
        var contextReport = Assert.Single(OneShotKnnStore.List(Path.Combine(factory.DataRoot, contextRun.RunFolder)));
        Assert.StartsWith("2.5D context", contextReport.Descriptor);
        Assert.Equal(report.AtlasCases, contextReport.AtlasCases); // same seed, same atlas: the rows compare descriptors only

        using (var scope = factory.Services.CreateScope())
        {
            var board = await scope.ServiceProvider.GetRequiredService<KnnLeaderboard>().ReadAsync(user, dataset);
            Assert.Equal([pretrain.Id, contextId], board.Rows.Select(r => r.RunId).Order());
            var row = board.Rows.Single(r => r.RunId == pretrain.Id);
            Assert.Equal((pretrain.Id, "paper", 1, 3L), (row.RunId, row.Protocol, row.Atlases, row.Seed));
            Assert.Equal(report.MeanDice, row.MeanDice);
            Assert.Equal("context", board.Rows.Single(r => r.RunId == contextId).Method);

            // A protocol on the run: the kNN report is its knn-1 column (no fine-tune needed for that column).
            var service = scope.ServiceProvider.GetRequiredService<BenchmarkService>();
            var protocol = await service.SaveAsync(user, $$"""
                { "name": "knn column", "datasets": ["{{dataset}}"], "budgets": [1], "seeds": [1, 2, 3],
                  "fineTune": { "model": "BasicUNet", "modelArgs": { "features": "(4, 4, 8, 8, 16, 4)" }, "patchSize": 32, "steps": 2 },
                  "metrics": ["dice", "dice_per_class"] }
                """);
            Assert.Equal(new BenchmarkLaunch(3, 0), await service.RunAsync(user, protocol.Id, [pretrain.Id], scratch: false));
            var view = (await service.ViewAsync(user, protocol.Id))!;
            var knn = view.Scores.Single(s => s.Metric == BenchmarkMetric.Dice && s.Budget.IsKnn);
            Assert.Equal((LabelBudget.Knn(1), 3L, report.MeanDice!.Value), (knn.Budget, knn.Seed, knn.Value));
            Assert.Contains(view.Scores, s => s.Metric == "dice:liver" && s.Budget.IsKnn);
            Assert.Contains(",knn-1,3,dice,", BenchmarkExport.Build(view, "csv", null).Text);
            foreach (var c in view.Cells) await RunTestHelpers.WithServiceAsync(factory, s => s.CancelAsync(user, c.RunId));
        }
    }

    /// <summary>Polls GET /api/runs/{id}/knn until the newest job is done; fails with its error otherwise.</summary>
    private static async Task<JsonElement> WaitForKnnAsync(HttpClient client, int runId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (true)
        {
            var job = JsonDocument.Parse(await client.GetStringAsync($"/api/runs/{runId}/knn")).RootElement.GetProperty("jobs")[0];
            var state = job.GetProperty("state").GetString();
            if (state == "Done") return job;
            Assert.True(state != "Failed", $"kNN of run {runId} failed: {job.GetProperty("error")}");
            Assert.True(DateTime.UtcNow < deadline, $"the kNN job of run {runId} did not finish in 5 minutes");
            await Task.Delay(500);
        }
    }
}

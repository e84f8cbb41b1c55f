using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSeg.Data.Entities;
using MedSeg.Testing;
using MedSeg.Training.Evaluation.OneShot;
using MedSeg.Web.Features.OneShotKnn;
using MedSeg.Web.Tests.Features.Downstream;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.OneShotKnn;

/// <summary>
/// Issue 15: a one-shot kNN evaluation queued or running when the portal dies (kill -9, the real built portal as a child
/// process) is queued again at the next start and completes; nothing of the cut-off attempt is left behind.
/// </summary>
public sealed class KnnRestartProcessTests
{
    [Fact]
    public async Task A_knn_evaluation_cut_off_by_kill_9_runs_again_after_the_restart_and_completes()
    {
        using var temp = new TempDirectory("medseg-knn-restart");
        // Starts on a loaded machine have taken over 90 s: this test is about the restart, not its speed.
        using var portal = TestPortalProcess.Create(temp.Path, startTimeout: TimeSpan.FromMinutes(3));
        await portal.StartAsync();
        var account = await TestAccounts.RegisterAsync(portal.CreateClient(), "pi@knn-restart.test");
        using var client = portal.CreateClient(account.CookieHeader);
        var dataset = DownstreamPhantom.Create(portal.DataRoot);
        var runId = await RunApiPolling.QueueTinyRunAsync(client, "knn-restart", steps: 4, checkpointEvery: 4);
        var run = await RunApiPolling.PollAsync(client, runId, r => r.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed, portal);
        Assert.True(run.Status == TrainingRunStatus.Completed, $"{run.Status}: {run.ErrorText}");

        var accepted = await client.PostAsJsonAsync($"/api/runs/{runId}/knn", new { dataset, atlases = 1, seed = 2 });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        portal.Kill(); // at once: the evaluation (descriptors of 2 volumes, TorchSharp's first load) is queued or running
        var queueFolder = Path.Combine(portal.DataRoot, KnnEvaluations.QueueFolder);
        Assert.Equal([$"{runId}-phantom_paper_n1_s2.json"], Directory.GetFiles(queueFolder).Select(Path.GetFileName));
        var runDir = Directory.GetDirectories(Path.Combine(portal.DataRoot, "runs")).Single();
        Assert.Empty(OneShotKnnStore.List(runDir)); // no report yet: the evaluation was cut off

        await portal.StartAsync();
        using var again = portal.CreateClient(account.CookieHeader);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        JsonElement job;
        while (true)
        {
            var jobs = JsonDocument.Parse(await again.GetStringAsync($"/api/runs/{runId}/knn")).RootElement.GetProperty("jobs");
            Assert.True(jobs.GetArrayLength() == 1, $"the restarted portal does not list the cut-off evaluation: {jobs}\n{portal.Tail()}");
            job = jobs[0];
            var state = job.GetProperty("state").GetString();
            Assert.True(state != "Failed", $"the resumed evaluation failed: {job}\n{portal.Tail()}");
            if (state == "Done") break;
            Assert.True(DateTime.UtcNow < deadline, $"the resumed evaluation did not finish: {job}\n{portal.Tail()}");
            await Task.Delay(500);
        }
        Assert.Equal("phantom_paper_n1_s2", job.GetProperty("stem").GetString());
        var report = Assert.Single(OneShotKnnStore.List(runDir));
        Assert.Equal((1, 2L), (report.Options.Atlases, report.Options.Seed));
        Assert.Empty(Directory.GetFiles(queueFolder)); // over: nothing left to resume
        Assert.Empty(Directory.GetDirectories(Path.Combine(runDir, OneShotKnnStore.Folder))); // no staging left from the killed attempt
    }
}

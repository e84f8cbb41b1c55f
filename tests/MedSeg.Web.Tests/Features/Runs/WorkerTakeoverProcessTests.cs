using System.Net.Http.Json;
using MedSeg.Data.Entities;
using Xunit.Abstractions;
using MedSeg.Testing;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// Two portal processes as two workers on one database and data root (as two machines on a lab server's PostgreSQL and
/// shared storage). The worker training a run is SIGKILLed and never comes back; the other one takes the run over once
/// the dead worker's lease lapses and finishes it from the checkpoint, every step stored once.
/// </summary>
public sealed class WorkerTakeoverProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KilledWorker_ItsRunIsResumedByTheOtherWorker_AfterTheLeaseLapses()
    {
        using var temp = new TempDirectory("medseg-takeover");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1}s {what}");
        const int total = 40;
        static Dictionary<string, string> Worker(string name) => new()
        {
            ["Training:WorkerName"] = name, ["Training:LeaseDuration"] = "00:00:05", ["Training:ControlPollInterval"] = "00:00:00.250",
        };
        var workers = new Dictionary<string, PortalProcess>
        {
            ["alpha"] = TestPortalProcess.Create(temp.Path, Worker("alpha")),
            ["beta"] = TestPortalProcess.Create(temp.Path, Worker("beta")),
        };
        try
        {
            await workers["alpha"].StartAsync(); // one after the other: the first applies the migrations
            await workers["beta"].StartAsync();
            Phase("both workers up");
            var account = await TestAccounts.RegisterAsync(workers["alpha"].CreateClient(), "pi@takeover.test");
            using var viaAlpha = workers["alpha"].CreateClient(account.CookieHeader);
            var runId = await RunApiPolling.QueueTinyRunAsync(viaAlpha, "outlives its worker", total, checkpointEvery: 5);

            var running = await RunApiPolling.PollAsync(viaAlpha, runId, r => r.LastCheckpointPath is not null && r.WorkerName is not null, workers["alpha"]);
            var deadName = running.WorkerName!;
            var survivorName = workers.Keys.Single(k => k != deadName);
            Phase($"run {runId} on {deadName} at step {running.CurrentStep} (checkpoint {running.LastCheckpointPath}); killing {deadName}");
            workers[deadName].Kill();

            using var viaSurvivor = workers[survivorName].CreateClient(account.CookieHeader);
            var takenOver = await RunApiPolling.PollAsync(viaSurvivor, runId, r => r.WorkerName == survivorName || r.Status != TrainingRunStatus.Running, workers[survivorName]);
            Phase($"taken over by {survivorName}: {takenOver.Status} at step {takenOver.CurrentStep}");
            var done = await RunApiPolling.PollAsync(viaSurvivor, runId, r => r.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed, workers[survivorName]);
            Phase($"run {done.Status}");
            Assert.True(done.Status == TrainingRunStatus.Completed, $"{done.Status}: {done.ErrorText}\n{workers[survivorName].Output}");
            Assert.Equal(total, done.CurrentStep);
            Assert.Null(done.WorkerName);

            var metrics = (await viaSurvivor.GetFromJsonAsync<RunSubscription>($"api/runs/{runId}/metrics?after=0", RunApiPolling.Json))!;
            RunTestHelpers.AssertContiguous([.. metrics.Points.Select(p => p.Step)], total);
            var events = (await viaSurvivor.GetFromJsonAsync<List<RunEvent>>($"api/runs/{runId}/events", RunApiPolling.Json))!;
            var recovered = Assert.Single(events, e => e.Kind == RunEventKinds.ResumedAfterRestart);
            Assert.StartsWith($"Worker '{deadName}' stopped responding: resuming from checkpoint", recovered.Message);
            Assert.True(recovered.Step is >= 5 and < total && recovered.Step % 5 == 0, $"resumed at {recovered.Step}");
            Assert.Contains(events, e => e.Kind == RunEventKinds.Resumed && e.Step == recovered.Step);
            Assert.Single(events, e => e.Kind == RunEventKinds.Completed);
            Assert.DoesNotContain(events, e => e.Kind is RunEventKinds.Failed or RunEventKinds.Interrupted);
        }
        catch (TimeoutException e)
        {
            // Once (under a full parallel test run) the run stayed at step 0 on its worker for 120 s with nothing logged:
            // both workers' output, to see what the other one held.
            throw new TimeoutException($"{e.Message}\n---- alpha ----\n{workers["alpha"].Output}\n---- beta ----\n{workers["beta"].Output}", e);
        }
        finally
        {
            foreach (var worker in workers.Values) worker.Dispose();
        }
    }
}

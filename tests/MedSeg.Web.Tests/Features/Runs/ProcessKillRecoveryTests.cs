using System.Net.Http.Json;
using MedSeg.Data.Entities;
using Xunit.Abstractions;
using MedSeg.Testing;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// The portal as a real child process: a run is queued over HTTP, the process is SIGKILLed after the run's first
/// checkpoint, started again, and the run must continue from that checkpoint to the end with every step stored once.
/// </summary>
public sealed class ProcessKillRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillDashNine_AfterCheckpoint_RestartResumesFromIt_AndCompletesWithContiguousSteps()
    {
        using var temp = new TempDirectory("medseg-kill");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1}s {what}");
        const int total = 40;
        int runId;
        long killedAt;
        using (var portal = TestPortalProcess.Create(temp.Path))
        {
            await portal.StartAsync();
            Phase("portal up");
            var account = await TestAccounts.RegisterAsync(portal.CreateClient(), "pi@kill.test");
            using var client = portal.CreateClient(account.CookieHeader);
            runId = await RunApiPolling.QueueTinyRunAsync(client, "survives kill -9", total, checkpointEvery: 5);

            var running = await RunApiPolling.PollAsync(client, runId, r => r.LastCheckpointPath is not null, portal);
            Assert.Equal(TrainingRunStatus.Running, running.Status);
            Phase($"checkpoint seen at step {running.CurrentStep}; killing");
            portal.Kill();
            killedAt = running.CurrentStep;
        }
        Assert.True(killedAt < total, $"the run was already at {killedAt} of {total} when killed");

        using (var portal = TestPortalProcess.Create(temp.Path))
        {
            await portal.StartAsync();
            Phase("portal restarted");
            // Another lab member watches after the restart (the lab sees all its runs).
            var account = await TestAccounts.RegisterAsync(portal.CreateClient(), "member@kill.test");
            using var client = portal.CreateClient(account.CookieHeader);
            var done = await RunApiPolling.PollAsync(client, runId, r => r.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed, portal);
            Phase($"run {done.Status}");
            Assert.True(done.Status == TrainingRunStatus.Completed, $"{done.Status}: {done.ErrorText}");
            Assert.Equal(total, done.CurrentStep);

            var metrics = (await client.GetFromJsonAsync<RunSubscription>($"api/runs/{runId}/metrics?after=0", RunApiPolling.Json))!;
            RunTestHelpers.AssertContiguous([.. metrics.Points.Select(p => p.Step)], total);
            var tail = (await client.GetFromJsonAsync<RunSubscription>($"api/runs/{runId}/metrics?after={total - 3}", RunApiPolling.Json))!;
            Assert.Equal([total - 2, total - 1, total], tail.Points.Select(p => p.Step));

            var events = (await client.GetFromJsonAsync<List<RunEvent>>($"api/runs/{runId}/events", RunApiPolling.Json))!;
            var recovered = Assert.Single(events, e => e.Kind == RunEventKinds.ResumedAfterRestart);
            Assert.True(recovered.Step is >= 5 and < total && recovered.Step % 5 == 0, $"resumed at {recovered.Step}");
            Assert.Contains(events, e => e.Kind == RunEventKinds.Resumed && e.Step == recovered.Step);
            Assert.DoesNotContain(events, e => e.Kind == RunEventKinds.Failed);
        }
    }
}

using MedSeg.Testing;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedSeg.Web.E2E.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MedSeg.Web.E2E;

/// <summary>
/// Runs on the real single-node Slurm (deploy/slurm/start.sh) submitted through the portal's API: each is a batch job
/// whose worker (the built CLI) trains a tiny BasicUNet on the node and reports over HTTP. Checked against Slurm's own
/// view (squeue / scontrol) and the portal's (status, events, stored steps): completion and the leaderboard, pause and
/// resume with contiguous steps, cancel, scontrol requeue, scancel from outside, the portal killed mid-run, and
/// refusals (bad partition, time limit over the partition's).
/// </summary>
[Collection(SlurmPortalCollection.Name)]
public sealed class SlurmRunsTests(SlurmPortalFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private static JsonNode? spec;
    private static string? storage;
    private const string Email = "slurm@lab.test";

    [SlurmFact]
    public Task A_run_submitted_over_the_API_runs_as_a_Slurm_job_completes_and_ranks_on_the_leaderboard() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync();
        var clock = Stopwatch.StartNew();
        var run = await CreateAsync(page, "slurm-complete", steps: 12, checkpointEvery: 6);
        var job = await WaitAsync(page, run, r => r.GetProperty("currentStep").GetInt64() >= 1, "its first step");
        Figure("Slurm: submit -> first step stored", clock.Elapsed);
        var jobId = job.GetProperty("clusterJobId").GetString()!;
        var done = await WaitAsync(page, run, r => Status(r) == "Completed", "Completed");
        Figure("Slurm: submit -> Completed (12 steps)", clock.Elapsed);
        Assert.Equal("Slurm", done.GetProperty("backend").GetString());
        Assert.Equal(12, done.GetProperty("currentStep").GetInt64());
        Assert.Equal("localhost", done.GetProperty("clusterNode").GetString());

        // Slurm's own record: the job ran under the run's name and completed.
        var (_, show, _) = await SlurmCluster.RunAsync("scontrol", "show", "job", jobId);
        Assert.Contains($"JobName=medseg-run-{run}", show);
        await WaitJobStateAsync(page, run, "COMPLETED");
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), await StepsAsync(page, run));
        var kinds = (await EventsAsync(page, run)).Select(e => e.Kind).ToList();
        Assert.Contains("submitted", kinds);
        Assert.Contains("started", kinds);
        Assert.Contains("job-state", kinds);
        // Slurm's poller may note COMPLETING and COMPLETED after the worker's report: the run's own last event is "completed".
        Assert.True(kinds.Last(k => k != "job-state") == "completed", $"events: {string.Join(", ", kinds)}");

        // The worker's process readings became the run's system samples (its chart on the run page).
        var system = await page.APIRequest.GetAsync($"/api/runs/{run}/system");
        Assert.True(system.Ok, $"GET system: {system.Status}");
        var samples = (await system.JsonAsync())!.Value.EnumerateArray().ToList();
        Assert.NotEmpty(samples);
        Assert.All(samples, s => Assert.InRange(s.GetProperty("cpuPercent").GetDouble(), 0, 100));
        Assert.All(samples, s => Assert.True(s.GetProperty("residentBytes").GetInt64() > 50L << 20, $"resident {s.GetProperty("residentBytes")}"));
        Assert.All(samples, s => Assert.InRange(s.GetProperty("step").GetInt64(), 1, 12));

        var leaderboard = await page.APIRequest.GetAsync("/api/runs/export.csv?rankBy=last_loss");
        var rows = (await leaderboard.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(rows.Skip(1), line => line.Split(',').Skip(2).FirstOrDefault() == run.ToString(System.Globalization.CultureInfo.InvariantCulture));
    });

    [SlurmFact]
    public Task A_run_started_from_the_form_on_the_cluster_fills_its_live_chart_shows_its_job_and_appears_on_the_dashboard() => RunAsync(async () =>
    {
        const int steps = 12;
        var page = await SignedInPageAsync();
        await page.GotoAsync("/runs/new");
        await PortalPages.WaitInteractiveAsync(page);
        await PortalPages.SetFieldAsync(page, "run-name", "slurm-from-the-form");
        await PortalPages.SetFieldAsync(page, "run-spec-size", "32");
        await PortalPages.SetFieldAsync(page, "run-feature-size", "12");
        await PortalPages.SetFieldAsync(page, "run-crop", "32");
        await PortalPages.SetFieldAsync(page, "run-batch", "1");
        await PortalPages.SetFieldAsync(page, "run-samples", "8");
        await PortalPages.SwitchOnAsync(page, "run-use-steps");
        await PortalPages.SetFieldAsync(page, "run-steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await PortalPages.SetFieldAsync(page, "run-checkpoint-every", "6");
        await PortalPages.SetFieldAsync(page, "run-val-every", "6");
        await PortalPages.SetFieldAsync(page, "run-val-samples", "2");
        // "Where to run": this portal sends runs to Slurm by default.
        await Expect(page.GetByTestId("run-where")).ToBeVisibleAsync();
        await PortalPages.SetFieldAsync(page, "run-time-limit", "10");
        await Expect(page.GetByTestId("run-config-errors")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = "/tmp/slurm-run-form.png", FullPage = true });

        await page.GetByTestId("run-submit").ClickAsync();
        // The form navigates inside the circuit (history.pushState, no load event): poll the address instead.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/runs/\d+$"), new() { Timeout = 60_000 });
        var run = int.Parse(new Uri(page.Url).Segments.Last(), System.Globalization.CultureInfo.InvariantCulture);
        await page.EvaluateAsync(TrainingRunsTests.RecordJs);
        await Expect(page.GetByTestId("run-backend")).ToHaveTextAsync("Slurm cluster");
        await Expect(page.GetByTestId("run-slurm-time-limit")).ToHaveTextAsync("0-00:10:00");
        await Expect(page.GetByTestId("run-slurm-job")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"), new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        await Expect(page.GetByTestId("run-slurm-node")).ToHaveTextAsync("localhost");
        var seen = (await page.EvaluateAsync<JsonElement>("() => window.__seen")).EnumerateArray()
            .Select(v => (Step: v.GetProperty("step").GetInt64(), Points: v.GetProperty("points").GetInt32())).ToList();
        Output.WriteLine("the page saw (step, points): " + string.Join(" ", seen.Select(v => $"({v.Step},{v.Points})")));
        Assert.True(seen.Select(v => v.Points).Distinct().Count() >= 3, "the chart did not grow live");
        Assert.Equal(steps, seen[^1].Points);
        await page.ScreenshotAsync(new() { Path = "/tmp/slurm-run-page.png", FullPage = true });

        var job = await page.GetByTestId("run-slurm-job").TextContentAsync();
        await page.GotoAsync("/");
        await PortalPages.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=home-partition][data-name=debug]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=home-partition][data-name=long]")).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-testid=home-job][data-job='{job}']")).ToContainTextAsync($"#{run}");
        await page.ScreenshotAsync(new() { Path = "/tmp/slurm-dashboard.png", FullPage = true });
    });


    [SlurmFact]
    public Task Pause_checkpoints_and_ends_the_job_and_resume_continues_in_a_new_job_with_contiguous_steps() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync();
        const int steps = 30;
        var run = await CreateAsync(page, "slurm-pause", steps, checkpointEvery: 5);
        var first = await WaitAsync(page, run, r => r.GetProperty("currentStep").GetInt64() >= 4, "step 4");
        var firstJob = first.GetProperty("clusterJobId").GetString()!;
        await PostAsync(page, $"/api/runs/{run}/pause", 204);
        var paused = await WaitAsync(page, run, r => Status(r) == "Paused", "Paused");
        var pausedAt = paused.GetProperty("currentStep").GetInt64();
        Assert.True(pausedAt < steps, $"paused only at step {pausedAt}");
        await WaitJobStateAsync(page, run, "COMPLETED"); // the worker checkpointed and exited; the job ended
        Assert.Equal(Enumerable.Range(1, (int)pausedAt).Select(i => (long)i), await StepsAsync(page, run));

        await PostAsync(page, $"/api/runs/{run}/resume", 204);
        var done = await WaitAsync(page, run, r => Status(r) == "Completed", "Completed after the resume");
        Assert.NotEqual(firstJob, done.GetProperty("clusterJobId").GetString());
        Assert.Equal(Enumerable.Range(1, steps).Select(i => (long)i), await StepsAsync(page, run));
        var resumed = (await EventsAsync(page, run)).Where(e => e.Kind == "resumed").ToList();
        Assert.Single(resumed);
        Assert.Equal(pausedAt, resumed[0].Step);
    });

    [SlurmFact]
    public Task Cancel_ends_the_job_as_CANCELLED_in_Slurm_and_the_run_as_Cancelled() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync();
        var run = await CreateAsync(page, "slurm-cancel", steps: 2000, checkpointEvery: 5);
        await WaitAsync(page, run, r => r.GetProperty("currentStep").GetInt64() >= 2, "step 2");
        await PostAsync(page, $"/api/runs/{run}/cancel", 204);
        var cancelled = await WaitAsync(page, run, r => Status(r) == "Cancelled", "Cancelled");
        Assert.True(cancelled.GetProperty("currentStep").GetInt64() < 2000);
        await WaitJobStateAsync(page, run, "CANCELLED");
    });

    [SlurmFact]
    public Task A_job_requeued_by_scontrol_mid_run_continues_from_its_checkpoint() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync();
        const int steps = 30;
        var run = await CreateAsync(page, "slurm-requeue", steps, checkpointEvery: 5);
        var before = await WaitAsync(page, run, r => r.GetProperty("currentStep").GetInt64() >= 4, "step 4");
        var job = before.GetProperty("clusterJobId").GetString()!;
        var (code, _, err) = await SlurmCluster.RunAsync("scontrol", "requeue", job);
        Assert.True(code == 0, err);
        // Slurm holds a requeued batch job back (BeginTime) for a while; an administrator may release it at once.
        await WaitJobStateAsync(page, run, "PENDING");
        await SlurmCluster.RunAsync("scontrol", "update", $"JobId={job}", "StartTime=now");
        var done = await WaitAsync(page, run, r => Status(r) == "Completed", "Completed after the requeue");
        Assert.Equal(job, done.GetProperty("clusterJobId").GetString()); // the same job, started again
        Assert.Equal(Enumerable.Range(1, steps).Select(i => (long)i), await StepsAsync(page, run));
        var events = await EventsAsync(page, run);
        var resumed = Assert.Single(events, e => e.Kind == "resumed");
        // The worker wrote a checkpoint when Slurm's SIGTERM came (checkpoint-then-stop), at or after the step seen before.
        var seen = before.GetProperty("currentStep").GetInt64();
        Assert.True(resumed.Step >= seen && resumed.Step < steps, $"resumed at step {resumed.Step}; step {seen} was stored before the requeue");
        Assert.Contains(events, e => e.Kind == "job-state" && e.Message.Contains("PENDING"));
    });

    [SlurmFact]
    public Task A_job_cancelled_outside_the_portal_ends_the_run_as_Cancelled() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync();
        var run = await CreateAsync(page, "slurm-scancel", steps: 2000, checkpointEvery: 5);
        var running = await WaitAsync(page, run, r => r.GetProperty("currentStep").GetInt64() >= 2, "step 2");
        var (code, _, err) = await SlurmCluster.RunAsync("scancel", running.GetProperty("clusterJobId").GetString()!);
        Assert.True(code == 0, err);
        await WaitAsync(page, run, r => Status(r) == "Cancelled", "Cancelled");
        var last = (await EventsAsync(page, run)).Last(e => e.Kind == "cancelled");
        Assert.Contains("outside the portal", last.Message);
    });

    [SlurmFact]
    public Task A_partition_Slurm_does_not_have_is_refused_with_Slurms_message_and_one_the_site_does_not_offer_with_400() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync();
        var run = await CreateAsync(page, "slurm-bad-partition", steps: 4, checkpointEvery: 4, cluster: new JsonObject { ["partition"] = "gpu" });
        var failed = await WaitAsync(page, run, r => Status(r) == "Failed", "Failed");
        Assert.Contains("invalid partition", failed.GetProperty("errorText").GetString(), StringComparison.OrdinalIgnoreCase);

        var tooLong = await CreateAsync(page, "slurm-too-long", steps: 4, checkpointEvery: 4,
            cluster: new JsonObject { ["partition"] = "debug", ["timeLimitMinutes"] = 120 });
        var refused = await WaitAsync(page, tooLong, r => Status(r) == "Failed", "Failed");
        Assert.Contains("time limit", refused.GetProperty("errorText").GetString(), StringComparison.OrdinalIgnoreCase);

        var response = await page.APIRequest.PostAsync("/api/runs", Json(RunBody("slurm-unknown-partition", 4, 4, new JsonObject { ["partition"] = "nope" })));
        Assert.Equal(400, response.Status);
        Assert.Contains("Cluster partition: 'nope'", await response.TextAsync());
    });

    [SlurmFact]
    public Task A_run_whose_portal_is_killed_mid_run_is_still_followed_after_the_restart_and_completes() => RunAsync(async () =>
    {
        AllowServerRestart();
        var page = await SignedInPageAsync();
        const int steps = 40;
        var run = await CreateAsync(page, "slurm-portal-killed", steps, checkpointEvery: 10);
        await WaitAsync(page, run, r => r.GetProperty("currentStep").GetInt64() >= 3, "step 3");
        Fixture.Portal.Kill();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the worker trains on, keeping its steps for the portal
        await Fixture.Portal.RestartAsync();
        var done = await WaitAsync(page, run, r => Status(r) == "Completed", "Completed after the portal restart");
        Assert.Equal(steps, done.GetProperty("currentStep").GetInt64());
        Assert.Equal(Enumerable.Range(1, steps).Select(i => (long)i), await StepsAsync(page, run));
        Assert.DoesNotContain(await EventsAsync(page, run), e => e.Kind is "resumed" or "failed" or "interrupted");
    });

    [SlurmFact]
    public Task A_job_that_fails_at_launch_ends_the_run_Failed_with_Slurms_reason_on_the_run_page() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync();
        int run;
        string job;
        fixture.HoldJobs(true); // the job waits (JobHeldUser) while the test breaks its output folder
        try
        {
            run = await CreateAsync(page, "slurm-launch-failure", steps: 4, checkpointEvery: 4);
            var held = await WaitAsync(page, run, r => r.GetProperty("clusterJobReason").GetString() == "JobHeldUser", "its job held");
            job = held.GetProperty("clusterJobId").GetString()!;
        }
        finally { fixture.HoldJobs(false); }
        // The node cannot write the output folder: a file where the run folder was (chmod would not stop root's slurmd).
        var folder = await JobFieldAsync(job, "WorkDir");
        Assert.True(Directory.Exists(folder), $"no run folder '{folder}' (scontrol's WorkDir of job {job})");
        Directory.Move(folder, folder + ".aside");
        await File.WriteAllTextAsync(folder, "not a folder");
        try
        {
            var (code, _, err) = await SlurmCluster.RunAsync("scontrol", "release", job);
            Assert.True(code == 0, err);
            var failed = await WaitAsync(page, run, r => Status(r) == "Failed", "Failed");
            Assert.Equal("FAILED", failed.GetProperty("clusterJobState").GetString());
            var error = failed.GetProperty("errorText").GetString()!;
            Assert.Contains($"Slurm job {job} FAILED (JobLaunchFailure)", error);
            Assert.Contains("writable", error);
            var events = await EventsAsync(page, run);
            Assert.Contains(events, e => e.Kind == "job-state" && e.Message.Contains("FAILED (JobLaunchFailure)"));
            Assert.Equal(error, events.Last(e => e.Kind == "failed").Message);

            await page.GotoAsync($"/runs/{run}");
            await PortalPages.WaitInteractiveAsync(page);
            await Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "Failed");
            await Expect(page.GetByTestId("run-error")).ToContainTextAsync("FAILED (JobLaunchFailure)");
            await Expect(page.GetByTestId("run-error")).ToContainTextAsync("is the run folder writable from the node");
            await page.ScreenshotAsync(new() { Path = "/tmp/slurm-launch-failure.png", FullPage = true });
        }
        finally
        {
            File.Delete(folder);
            Directory.Move(folder + ".aside", folder);
        }
    });

    [SlurmFact]
    public Task A_revoked_worker_token_is_refused_the_worker_stops_at_a_checkpoint_and_the_run_pauses_with_no_job_left() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync();
        const int steps = 2000;
        var run = await CreateAsync(page, "slurm-token-revoked", steps, checkpointEvery: 5);
        var running = await WaitAsync(page, run, r => r.GetProperty("currentStep").GetInt64() >= 3, "step 3");
        var job = running.GetProperty("clusterJobId").GetString()!;
        // Revoked from the run page: the button in the Slurm rows, then the confirmation dialog.
        await page.GotoAsync($"/runs/{run}");
        await PortalPages.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("run-worker-token")).ToContainTextAsync("live");
        await page.GetByTestId("run-revoke-token").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(page.Locator(".mud-snackbar", new() { HasText = "Worker token revoked" })).ToBeVisibleAsync();
        var paused = await WaitAsync(page, run, r => Status(r) == "Paused", "Paused");
        await Expect(page.GetByTestId("run-worker-token")).ToHaveCountAsync(0);
        Assert.True(paused.GetProperty("currentStep").GetInt64() < steps);
        // The worker stopped by itself (refused, checkpoint, exit 0) well before the poller's grace ran out: no job is left.
        await WaitJobStateAsync(page, run, "COMPLETED");
        var (_, listed, _) = await SlurmCluster.RunAsync("squeue", "--noheader", "--name", $"medseg-run-{run}", "-o", "%i %T");
        Assert.Equal("", listed.Trim()); // squeue without --states: only jobs still pending or running
        var events = await EventsAsync(page, run);
        Assert.Contains(events, e => e.Kind == "token-revoked" && e.Message.Contains($"Slurm job {job}"));
        Assert.Contains("after its worker token was revoked", events.Last(e => e.Kind == "paused").Message);
        // The worker's own log: its report was refused with 401, and it stopped at a checkpoint.
        var log = await File.ReadAllTextAsync(await JobFieldAsync(job, "StdOut"));
        Assert.Contains("refused this worker's token", log);
        Assert.Contains("(401", log);
        Assert.Contains("stopping at a checkpoint", log);
        // A revoked run's old token stays refused; a second revoke has nothing to revoke.
        await PostAsync(page, $"/api/runs/{run}/worker-token/revoke", 409);

        await PostAsync(page, $"/api/runs/{run}/cancel", 204); // a paused run is cancelled at once: nothing left running
        await WaitAsync(page, run, r => Status(r) == "Cancelled", "Cancelled");
    });

    [SlurmFact]
    public Task A_portal_killed_after_sbatch_submitted_but_before_it_answered_adopts_that_job_after_the_restart() => RunAsync(async () =>
    {
        AllowServerRestart();
        var page = await SignedInPageAsync();
        const int steps = 12;
        int run;
        string? submitted = null;
        fixture.HoldJobs(true); // the job cannot start (and report its id) before the portal is killed
        fixture.DelaySbatchAnswer(true);
        try
        {
            run = await CreateAsync(page, "slurm-killed-in-sbatch", steps, checkpointEvery: 6);
            for (var i = 0; i < 300 && (submitted = fixture.SubmittedWhileDelayed()) is null; i++) await Task.Delay(200);
            Assert.NotNull(submitted);
            var stranded = await WaitAsync(page, run, r => r.GetProperty("clusterJobState").GetString() == "SUBMITTING", "the submitting marker");
            Assert.Equal(JsonValueKind.Null, stranded.GetProperty("clusterJobId").ValueKind);
            Fixture.Portal.Kill(); // sbatch's answer never reaches the portal
        }
        finally
        {
            fixture.DelaySbatchAnswer(false);
            fixture.HoldJobs(false);
        }
        // Another portal on the same cluster numbers its runs from 1 too: a newer job of the same name, in its own folder.
        using var elsewhere = new TempDirectory("medseg-other-portal-run");
        var (decoyCode, decoyOut, decoyErr) = await SlurmCluster.RunAsync("sbatch", "--parsable", "--hold", $"--job-name=medseg-run-{run}",
            "--partition=debug", "--time=1", $"--chdir={elsewhere.Path}", $"--output={elsewhere.Path}/slurm-%j.out", "--wrap", "true");
        Assert.True(decoyCode == 0, decoyErr);
        var decoy = decoyOut.Trim().Split(';')[0];
        try
        {
            await Fixture.Portal.RestartAsync();
            var adopted = await WaitAsync(page, run, r => r.GetProperty("clusterJobId").ValueKind == JsonValueKind.String, "a job adopted");
            Assert.Equal(submitted, adopted.GetProperty("clusterJobId").GetString()); // not the other portal's newer job
            Assert.Equal("PENDING", adopted.GetProperty("clusterJobState").GetString());
        }
        finally { await SlurmCluster.RunAsync("scancel", decoy); }
        var (code, _, err) = await SlurmCluster.RunAsync("scontrol", "release", submitted!);
        Assert.True(code == 0, err);
        var done = await WaitAsync(page, run, r => Status(r) == "Completed", "Completed");
        Assert.Equal(submitted, done.GetProperty("clusterJobId").GetString());
        Assert.Equal(Enumerable.Range(1, steps).Select(i => (long)i), await StepsAsync(page, run));
        // Exactly one job of the run's name in the run's folder: the run was not submitted twice.
        var folder = await JobFieldAsync(submitted!, "WorkDir");
        var (_, listed, _) = await SlurmCluster.RunAsync("squeue", "--all", "--states=all", "--noheader", "--name", $"medseg-run-{run}", "-o", "%i;%Z");
        Assert.Equal([submitted!], listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(';', 2)).Where(f => f[1] == folder).Select(f => f[0]));
        Assert.Contains(await EventsAsync(page, run), e => e.Kind == "submitted" && e.Message.Contains($"Slurm job {submitted} (medseg-run-{run}) adopted"));
    });

    [SlurmFact]
    public Task Two_portals_on_one_database_have_one_Slurm_poller_and_the_survivor_takes_over_when_it_dies() => RunAsync(async () =>
    {
        const string polls = "This portal polls Slurm now";
        using var temp = new TempDirectory("medseg-two-portals");
        var settings = await SlurmPortalFixture.SettingsAsync(fixture.Switches);
        // One after the other: the first applies the migrations, the second finds them applied.
        await using var first = await PortalProcess.StartAsync(new PortalProcessOptions { WorkDirectory = temp.Path, Settings = settings, StartTimeout = SlurmPortalFixture.StartTimeout });
        await using var second = await PortalProcess.StartAsync(new PortalProcessOptions { WorkDirectory = temp.Path, Settings = settings, StartTimeout = SlurmPortalFixture.StartTimeout });
        await UntilAsync(() => first.Output.Contains(polls) || second.Output.Contains(polls), "a portal to take the poller lease");
        await UntilAsync(() => first.Output.Contains("Another portal polls Slurm") || second.Output.Contains("Another portal polls Slurm"), "the other to see it held");
        await Task.Delay(TimeSpan.FromSeconds(3)); // several passes of both
        Assert.True(first.Output.Contains(polls) ^ second.Output.Contains(polls), "both portals polled Slurm");
        var (holder, survivor) = first.Output.Contains(polls) ? (first, second) : (second, first);

        holder.Kill();
        await UntilAsync(() => survivor.Output.Contains(polls), "the survivor to take the lapsed lease over");
        var context = await Fixture.Browser.NewContextAsync(new() { BaseURL = survivor.BaseUrl });
        try
        {
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            Log.Attach(page);
            await PortalPages.RegisterAsync(page, "two-portals@lab.test");
            var run = await CreateAsync(page, "slurm-two-portals", steps: 6, checkpointEvery: 3);
            var done = await WaitAsync(page, run, r => Status(r) == "Completed", "Completed through the survivor");
            Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), await StepsAsync(page, run));
            Assert.Single((await EventsAsync(page, run)).Where(e => e.Kind == "submitted")); // submitted once
        }
        catch
        {
            Output.WriteLine("---- survivor ----\n" + survivor.Tail(100));
            throw;
        }
        finally { await context.CloseAsync(); }
    });

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60); !condition(); await Task.Delay(200))
            Assert.True(DateTime.UtcNow < deadline, $"waited 60 s for {what}");
    }

    // ---- helpers ----

    /// <summary>A page signed in as the suite's PI (registered by the first test that runs).</summary>
    private async Task<IPage> SignedInPageAsync()
    {
        if (storage is not null) return await NewPageAsync(storage);
        var page = await NewPageAsync();
        try { await PortalPages.RegisterAsync(page, Email); }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            // On a loaded machine the registration may have gone through after the click timed out: sign in instead.
            Output.WriteLine($"registration did not finish ({e.Message.Split('\n')[0]}); signing in");
            await PortalPages.LoginAsync(page, Email);
        }
        storage = await page.Context.StorageStateAsync();
        return page;
    }

    /// <summary>One field of <c>scontrol show job</c> (e.g. WorkDir, StdOut); empty when Slurm does not show it.</summary>
    private static async Task<string> JobFieldAsync(string job, string field)
    {
        var (_, show, _) = await SlurmCluster.RunAsync("scontrol", "show", "job", job);
        return System.Text.RegularExpressions.Regex.Match(show, $@"\b{field}=(\S+)").Groups[1].Value;
    }

    private static async Task<JsonNode> SpecAsync()
    {
        if (spec is not null) return spec.DeepClone();
        var folder = Directory.CreateTempSubdirectory("medseg-slurm-spec-").FullName;
        await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "generate", "avsdb", "--out", folder, "--count", "1", "--size", "32", "--seed", "1");
        spec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "spec.json")))!;
        spec["shapesPerVolume"] = 4;
        Directory.Delete(folder, recursive: true);
        return spec.DeepClone();
    }

    private static JsonObject RunBody(string name, int steps, int checkpointEvery, JsonObject? cluster) => new()
    {
        ["name"] = name,
        ["config"] = JsonNode.Parse($$"""
            {"model":"BasicUNet","modelArgs":{"features":"(4, 4, 8, 8, 16, 4)"},"crop":32,"batchSize":1,"samples":8,
             "steps":{{steps}},"checkpointEvery":{{checkpointEvery}},"keepLast":2,"validationEvery":0,
             "loaderWorkers":1,"prefetch":2,"torchThreads":1,"learningRate":0.001,"device":"cpu","seed":1}
            """),
        ["spec"] = spec!.DeepClone(),
        ["backend"] = "Slurm",
        ["cluster"] = cluster ?? new JsonObject { ["partition"] = "debug", ["cpus"] = 1, ["timeLimitMinutes"] = 10 },
    };

    private static APIRequestContextOptions Json(JsonObject body) => new()
    {
        Data = body.ToJsonString(),
        Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["X-MedSeg-Request"] = "1" },
    };

    private static async Task<int> CreateAsync(IPage page, string name, int steps, int checkpointEvery, JsonObject? cluster = null)
    {
        await SpecAsync();
        var response = await page.APIRequest.PostAsync("/api/runs", Json(RunBody(name, steps, checkpointEvery, cluster)));
        var text = await response.TextAsync();
        Assert.True(response.Status == 201, $"POST /api/runs answered {response.Status}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt32();
    }

    private static async Task PostAsync(IPage page, string path, int expected)
    {
        var response = await page.APIRequest.PostAsync(path, Json(new JsonObject()));
        Assert.True(response.Status == expected, $"POST {path} answered {response.Status}: {await response.TextAsync()}");
    }

    private static string Status(JsonElement run) => run.GetProperty("status").GetString()!;

    /// <summary>Polls GET /api/runs/{id} every 200 ms until <paramref name="done"/>; fails naming what it waited for.</summary>
    private async Task<JsonElement> WaitAsync(IPage page, int run, Func<JsonElement, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await page.APIRequest.GetAsync($"/api/runs/{run}");
                if (response.Status == 200)
                {
                    last = JsonDocument.Parse(await response.TextAsync()).RootElement.Clone();
                    if (done(last)) return last;
                    if (Status(last) is "Failed" or "Cancelled" && !what.Contains(Status(last), StringComparison.OrdinalIgnoreCase))
                        Assert.Fail($"run {run} is {Status(last)} while waiting for {what}: {last}\nevents: {string.Join("\n", (await EventsAsync(page, run)).Select(e => $"{e.Kind} {e.Step} {e.Message}"))}");
                }
            }
            catch (PlaywrightException) { } // the portal restarting
            await Task.Delay(200);
        }
        Assert.Fail($"run {run} did not reach {what} within {RunTimeout}: {last}\nevents: {string.Join("\n", (await EventsAsync(page, run)).Select(e => $"{e.Kind} {e.Step} {e.Message}"))}");
        return last;
    }

    private async Task WaitJobStateAsync(IPage page, int run, string state) =>
        await WaitAsync(page, run, r => r.GetProperty("clusterJobState").GetString() == state, $"Slurm state {state}");

    private static async Task<List<long>> StepsAsync(IPage page, int run)
    {
        var metrics = await page.APIRequest.GetAsync($"/api/runs/{run}/metrics?after=0");
        return [.. JsonDocument.Parse(await metrics.TextAsync()).RootElement.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("step").GetInt64())];
    }

    private sealed record Event(string Kind, long? Step, string Message);

    private static async Task<List<Event>> EventsAsync(IPage page, int run)
    {
        var response = await page.APIRequest.GetAsync($"/api/runs/{run}/events");
        if (response.Status != 200) return [];
        return [.. JsonDocument.Parse(await response.TextAsync()).RootElement.EnumerateArray().Select(e => new Event(
            e.GetProperty("kind").GetString()!, e.GetProperty("step").ValueKind == JsonValueKind.Number ? e.GetProperty("step").GetInt64() : null,
            e.GetProperty("message").GetString()!))];
    }
}

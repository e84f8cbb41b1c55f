using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>Real tiny CPU trainings through the portal's training service: cancel, pause/resume, recovery after a restart.</summary>
public sealed class TrainingLifecycleTests
{
    [Fact]
    public async Task Cancel_WhileRunning_EndsCancelled_AndNoFurtherSteps()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@runs-cancel.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var run = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("long", 2000, checkpointEvery: 1000));

        await RunTestHelpers.WaitForAsync(factory, run.Id, r => r.CurrentStep >= 3);
        Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.CancelAsync(user, run.Id)));
        var cancelled = await RunTestHelpers.WaitForAsync(factory, run.Id, r => r.Status != TrainingRunStatus.Running);
        Assert.Equal(TrainingRunStatus.Cancelled, cancelled.Status);
        Assert.NotNull(cancelled.FinishedAt);
        Assert.True(cancelled.CurrentStep < 2000);

        var steps = await RunTestHelpers.StepsAsync(factory, run.Id);
        RunTestHelpers.AssertContiguous(steps, cancelled.CurrentStep);
        await Task.Delay(1500);
        Assert.Equal(steps, await RunTestHelpers.StepsAsync(factory, run.Id)); // nothing after the stop
        var kinds = (await RunTestHelpers.EventsAsync(factory, run.Id)).Select(e => e.Kind).ToList();
        Assert.Equal([RunEventKinds.Queued, RunEventKinds.Started, RunEventKinds.CancelRequested, RunEventKinds.Cancelled],
            kinds.Where(k => k != RunEventKinds.Checkpointed));
        Assert.False(await RunTestHelpers.WithServiceAsync(factory, s => s.CancelAsync(user, run.Id))); // already over
    }

    [Fact]
    public async Task Pause_WritesCheckpoint_ThenResume_ContinuesAtNextStep_WithoutDuplicateRows()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@runs-pause.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        // Long enough that the pause lands before the end even when tiny steps run fast on an idle machine.
        const int total = 60;
        var run = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("pausable", total, checkpointEvery: 100, validationEvery: 20));

        await RunTestHelpers.WaitForAsync(factory, run.Id, r => r.CurrentStep >= 4);
        Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.PauseAsync(user, run.Id)));
        var paused = await RunTestHelpers.WaitForAsync(factory, run.Id, r => r.Status != TrainingRunStatus.Running);
        Assert.Equal(TrainingRunStatus.Paused, paused.Status);
        Assert.True(paused.CurrentStep < total, "paused before the end");
        // The pause checkpoint is at exactly the step reached (checkpointEvery 100 would never have written one).
        Assert.Equal($"checkpoints/step-{paused.CurrentStep:D9}", paused.LastCheckpointPath);
        var folder = factory.Services.GetRequiredService<DataPaths>().RunDirectory(paused);
        Assert.True(Directory.Exists(Path.Combine(folder, paused.LastCheckpointPath!)));
        RunTestHelpers.AssertContiguous(await RunTestHelpers.StepsAsync(factory, run.Id), paused.CurrentStep);

        Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.ResumeAsync(user, run.Id)));
        var done = await RunTestHelpers.WaitForAsync(factory, run.Id, r => r.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed);
        Assert.Equal(TrainingRunStatus.Completed, done.Status);
        Assert.Equal(total, done.CurrentStep);
        RunTestHelpers.AssertContiguous(await RunTestHelpers.StepsAsync(factory, run.Id), total);
        Assert.NotNull(done.FinalValDice);
        Assert.NotNull(done.BestValDice);
        Assert.Equal("checkpoints/best", done.BestCheckpointPath);
        var history = await RunTestHelpers.WithServiceAsync(factory, s => s.MetricsAsync(user, run.Id, 0));
        Assert.NotNull(history);
        Assert.Equal(total, history.Points.Count);
        Assert.Contains(history.LogTail!, line => line.Contains($"completed {total} steps"));
        Assert.Equal(3, history.Points.Count(p => p.ValDicePerClass is not null)); // validated at 20, 40, 60

        var events = await RunTestHelpers.EventsAsync(factory, run.Id);
        var resumed = Assert.Single(events, e => e.Kind == RunEventKinds.Resumed);
        Assert.Equal(paused.CurrentStep, resumed.Step);
        Assert.Contains(events, e => e.Kind == RunEventKinds.Paused);
        Assert.Equal(RunEventKinds.Completed, events[^1].Kind);
    }

    [Fact]
    public async Task Restart_RunningWithCheckpoint_Resumes_WithoutCheckpoint_IsInterrupted()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@runs-restart.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        // Long enough that the pause lands before the end: the row's step is flushed every 500 ms, and on an idle machine
        // a 12-step run was already complete when the test saw step 5.
        const int total = 80;
        var withCheckpoint = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("ckpt", total, checkpointEvery: 4));
        var without = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("none", total, checkpointEvery: 4));

        // Train the first run to a checkpoint by hand (pause), then fake the crash: both rows "Running", extra rows after the checkpoint.
        var first = ManualTrainingService.Create(factory);
        await RunTestHelpers.WithServiceAsync(factory, s => s.PauseAsync(user, without.Id)); // keep it out of the queue
        await first.StartAsync(CancellationToken.None);
        await RunTestHelpers.WaitForAsync(factory, withCheckpoint.Id, r => r.CurrentStep >= 5);
        await RunTestHelpers.WithServiceAsync(factory, s => s.PauseAsync(user, withCheckpoint.Id));
        var paused = await RunTestHelpers.WaitForAsync(factory, withCheckpoint.Id, r => r.Status == TrainingRunStatus.Paused);
        await first.StopAsync(CancellationToken.None);
        first.Dispose();
        var checkpointStep = paused.CurrentStep;
        await using (var db = await factory.Db.CreateDbContextAsync())
        {
            await db.TrainingRuns.Where(r => r.Id == withCheckpoint.Id || r.Id == without.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, TrainingRunStatus.Running));
            // Steps up to the checkpoint that never reached the database (killed before the metrics flush): they must be
            // rebuilt from the run folder's metrics.jsonl, or the history has a gap.
            await db.RunStepMetrics.Where(m => m.RunId == withCheckpoint.Id && m.Step > checkpointStep - 2).ExecuteDeleteAsync();
            // Steps flushed after the checkpoint before the "crash": they must go, since training repeats them.
            db.RunStepMetrics.Add(new RunStepMetric { RunId = withCheckpoint.Id, Step = checkpointStep + 1, At = DateTime.UtcNow, Loss = 9 });
            db.RunStepMetrics.Add(new RunStepMetric { RunId = withCheckpoint.Id, Step = checkpointStep + 2, At = DateTime.UtcNow, Loss = 9 });
            await db.SaveChangesAsync();
        }

        using var restarted = ManualTrainingService.Create(factory);
        await restarted.StartAsync(CancellationToken.None);
        var interrupted = await RunTestHelpers.WaitForAsync(factory, without.Id, r => r.Status != TrainingRunStatus.Running);
        Assert.Equal(TrainingRunStatus.Interrupted, interrupted.Status);
        Assert.Contains("before its first checkpoint", interrupted.ErrorText);
        var done = await RunTestHelpers.WaitForAsync(factory, withCheckpoint.Id, r => r.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed);
        await restarted.StopAsync(CancellationToken.None);

        Assert.Equal(TrainingRunStatus.Completed, done.Status);
        RunTestHelpers.AssertContiguous(await RunTestHelpers.StepsAsync(factory, withCheckpoint.Id), total);
        await using (var db = await factory.Db.CreateDbContextAsync())
            Assert.False(await db.RunStepMetrics.AnyAsync(m => m.RunId == withCheckpoint.Id && m.Loss == 9), "stale rows after the checkpoint were replaced");
        var events = await RunTestHelpers.EventsAsync(factory, withCheckpoint.Id);
        var recovered = Assert.Single(events, e => e.Kind == RunEventKinds.ResumedAfterRestart);
        Assert.Equal(checkpointStep, recovered.Step);
        Assert.Contains(events, e => e.Kind == RunEventKinds.Resumed && e.Step == checkpointStep && e.Id > recovered.Id);
        Assert.Contains(await RunTestHelpers.EventsAsync(factory, without.Id), e => e.Kind == RunEventKinds.Interrupted);
    }
}

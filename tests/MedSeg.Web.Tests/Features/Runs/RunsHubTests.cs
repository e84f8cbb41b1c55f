using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// Several SignalR watchers of one run fed through the real <see cref="RunLiveBuffer"/> and <see cref="RunProgressFeed"/> (synthetic steps, so the
/// timing is controlled): ordered contiguous batches, late joiners and a reconnect mid-run end with every step exactly once.
/// </summary>
public sealed class RunsHubTests
{
    private const int Total = 400;

    [Fact]
    public async Task ThreeWatchers_EarlyLateAndReconnecting_EachGetEveryStepOnce_InOrder()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@runs-hub.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var runId = await InsertRunningRunAsync(factory, user.Id);
        var buffer = factory.Services.GetRequiredService<RunLiveBuffer>();
        buffer.BeginRun(runId, 0, Total, runFolder: null, checkpoint: null, bestValDice: null);

        await using var early = new RunWatcher(factory, account.CookieHeader, runId);
        await using var late = new RunWatcher(factory, account.CookieHeader, runId);
        await using var reconnecting = new RunWatcher(factory, account.CookieHeader, runId);
        await early.ConnectAsync();
        await reconnecting.ConnectAsync();

        var reached = new Dictionary<long, TaskCompletionSource>
        {
            [100] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            [150] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            [250] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        var producing = System.Diagnostics.Stopwatch.StartNew();
        var producer = Task.Run(async () =>
        {
            for (long step = 1; step <= Total; step++)
            {
                buffer.Report(runId, new RunStepPoint(step, DateTime.UtcNow, 1.0 / step, 1e-3, 10, 0.1, 1000), Total, (Total - step) * 0.004);
                if (reached.TryGetValue(step, out var tcs)) tcs.SetResult();
                await Task.Delay(4);
            }
        });

        await reached[100].Task;
        await late.ConnectAsync(); // joins mid-run from scratch: history + live
        await reached[150].Task;
        await reconnecting.DisconnectAsync();
        var lastSeen = reconnecting.NewestStep;
        await reached[250].Task;
        await reconnecting.ConnectAsync(); // catches up from lastSeen
        await producer;
        var producedSeconds = producing.Elapsed.TotalSeconds;

        await using (var db = await factory.Db.CreateDbContextAsync())
            await db.TrainingRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, TrainingRunStatus.Completed));
        await factory.Services.GetRequiredService<RunMetricsWriter>().EndRunAsync(new TrainingRun { Id = runId, Status = TrainingRunStatus.Completed });

        foreach (var watcher in new[] { early, late, reconnecting })
        {
            Assert.Equal(TrainingRunStatus.Completed, await watcher.Ended.WaitAsync(TimeSpan.FromSeconds(30)));
            RunTestHelpers.AssertContiguous(watcher.Steps, Total);
            foreach (var messages in watcher.Connections) AssertOrderedContiguous([.. messages]);
        }

        // The early watcher needed no history: its live messages alone hold every step exactly once.
        var earlySteps = early.Connections[0].SelectMany(m => m.Points).Select(p => p.Step).ToList();
        RunTestHelpers.AssertContiguous(earlySteps, Total);
        var batches = early.Connections[0].Count(m => m.Points.Count > 0);
        Assert.True(batches <= producedSeconds / 0.1 + 3, $"{batches} messages in {producedSeconds:F1}s: more than one per 100 ms");

        // The late and reconnected watchers: the Subscribe answer and the first live batch meet without a gap.
        Assert.True(late.Answers[0].Points.Count >= 100 - 1, $"history held {late.Answers[0].Points.Count} steps");
        var reconnectAnswer = reconnecting.Answers[1];
        Assert.True(reconnectAnswer.Points.Count > 0 && reconnectAnswer.Points[0].Step == lastSeen + 1,
            $"catch-up after {lastSeen} started at {reconnectAnswer.Points.FirstOrDefault()?.Step}");
        var firstLive = reconnecting.Connections[1].First(m => m.Points.Count > 0).FromStep;
        Assert.True(firstLive <= reconnectAnswer.Points[^1].Step + 1, $"gap between catch-up (..{reconnectAnswer.Points[^1].Step}) and live ({firstLive}..)");

        // What the database holds after the run is the same history a page opened later loads.
        RunTestHelpers.AssertContiguous(await RunTestHelpers.StepsAsync(factory, runId), Total);
    }

    [Fact]
    public async Task Subscribe_OtherLabsRunOrUnknown_ReturnsNull()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@runs-hub-null.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var runId = await InsertRunningRunAsync(factory, user.Id, lab: "other-lab");
        await using var watcher = new RunWatcher(factory, account.CookieHeader, runId);
        await Assert.ThrowsAsync<InvalidOperationException>(watcher.ConnectAsync);
    }

    private static void AssertOrderedContiguous(IReadOnlyList<RunProgressMessage> messages)
    {
        long? previous = null;
        foreach (var m in messages)
        {
            Assert.Equal(m.ToStep - m.FromStep + 1, m.Points.Count);
            Assert.Equal(Enumerable.Range(0, m.Points.Count).Select(i => m.FromStep + i), m.Points.Select(p => p.Step));
            if (m.Points.Count == 0) continue;
            if (previous is long p) Assert.True(m.FromStep == p + 1, $"message {m.FromStep}..{m.ToStep} after {p}");
            previous = m.ToStep;
        }
    }

    internal static async Task<int> InsertRunningRunAsync(PortalFactory factory, string ownerId, string lab = Labs.Default)
    {
        await using var db = await factory.Db.CreateDbContextAsync();
        var run = new TrainingRun
        {
            Name = "synthetic", ModelName = "BasicUNet", ConfigJson = RunTestHelpers.TinyConfig(Total), SpecJson = RunTestHelpers.TinySpecJson(),
            Status = TrainingRunStatus.Running, OwnerId = ownerId, LabId = lab, CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow,
            TotalSteps = Total, RunFolder = "runs/synthetic",
        };
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }
}

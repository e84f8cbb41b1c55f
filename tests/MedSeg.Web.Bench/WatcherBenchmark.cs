using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Bench;

/// <summary>
/// Server side: starts the portal, a synthetic run, the watcher child process; publishes steps at a fixed rate through
/// <see cref="RunLiveBuffer"/> / <see cref="RunProgressFeed"/> (batched pushes and database flushes as in production) and measures this process's CPU.
/// </summary>
public static class WatcherBenchmark
{
    public static async Task<int> RunAsync(BenchArguments a)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"medseg-bench-watchers-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            await using var app = await BenchPortal.StartAsync(temp);
            var address = BenchPortal.Address(app);
            var cookie = await BenchPortal.RegisterAsync(address, "bench@watchers.local", "Passw0rd!");
            var total = (long)Math.Round(a.StepsPerSecond * a.Seconds);
            var runId = await InsertRunAsync(app, "bench@watchers.local", total);
            var buffer = app.Services.GetRequiredService<RunLiveBuffer>();
            buffer.BeginRun(runId, 0, total, runFolder: null, checkpoint: null, bestValDice: null);

            using var child = StartWatchers(a, address, cookie, runId, total);
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var result = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            child.OutputDataReceived += (_, e) =>
            {
                if (e.Data == "READY") ready.TrySetResult();
                else if (e.Data?.StartsWith("RESULT ", StringComparison.Ordinal) == true) result.TrySetResult(e.Data["RESULT ".Length..]);
                else if (e.Data is not null) Console.Error.WriteLine($"[watchers] {e.Data}");
            };
            child.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[watchers] {e.Data}"); };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            var connectTimer = Stopwatch.StartNew();
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(120));
            Console.WriteLine($"{a.Watchers} watchers connected and subscribed in {connectTimer.Elapsed.TotalSeconds:F1}s");

            // Publish at a fixed rate; CPU is measured over exactly this window.
            var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var interval = TimeSpan.FromSeconds(1 / a.StepsPerSecond);
            var random = new Random(1);
            for (long step = 1; step <= total; step++)
            {
                var due = interval * step;
                if (due > wall.Elapsed) await Task.Delay(due - wall.Elapsed);
                buffer.Report(runId, new RunStepPoint(step, DateTime.UtcNow, 1.0 / step + random.NextDouble() * 0.01, 1e-4, 16, 0.05, 1L << 30),
                    total, (total - step) / a.StepsPerSecond);
            }
            var publishSeconds = wall.Elapsed.TotalSeconds;
            await Task.Delay(300); // the last batch
            self.Refresh();
            var cpuSeconds = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
            var measuredSeconds = wall.Elapsed.TotalSeconds;
            await app.Services.GetRequiredService<RunMetricsWriter>().EndRunAsync(new TrainingRun { Id = runId, Status = TrainingRunStatus.Completed });

            var json = await result.Task.WaitAsync(TimeSpan.FromSeconds(120));
            var r = JsonSerializer.Deserialize<WatcherClients.Result>(json)!;
            await child.WaitForExitAsync();
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"""
                watchers                  {r.Watchers} (WebSockets, separate process)
                steps published           {total} at {a.StepsPerSecond} steps/s over {publishSeconds:F1}s
                points received           {r.Points} (expected {total * a.Watchers}); watchers with every step: {r.WatchersComplete}/{r.Watchers}
                hub messages received     {r.Messages} ({r.Messages / (double)r.Watchers / publishSeconds:F1}/s per watcher)
                delay step end -> receipt median {r.MedianMs:F1} ms, p99 {r.P99Ms:F1} ms, max {r.MaxMs:F1} ms
                server CPU                {cpuSeconds / measuredSeconds * 100:F1}% of one core ({cpuSeconds / measuredSeconds / Environment.ProcessorCount * 100:F1}% of {Environment.ProcessorCount} cores)
                """));
            return r.WatchersComplete == r.Watchers ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<int> InsertRunAsync(WebApplication app, string email, long total)
    {
        using var scope = app.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email)
            ?? throw new InvalidOperationException($"No user {email}.");
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContextAsync();
        var run = new TrainingRun
        {
            Name = "bench (synthetic)", ModelName = "synthetic", ConfigJson = "{}", Status = TrainingRunStatus.Running,
            OwnerId = user.Id, LabId = user.LabId, CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow, TotalSteps = total,
            RunFolder = "runs/bench", Device = "none",
        };
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private static Process StartWatchers(BenchArguments a, string address, string cookie, int runId, long total)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", typeof(WatcherBenchmark).Assembly.Location, "watchers", "--url", address, "--cookie", cookie,
                     "--run", runId.ToString(CultureInfo.InvariantCulture), "--watchers", a.Watchers.ToString(CultureInfo.InvariantCulture),
                     "--total-steps", total.ToString(CultureInfo.InvariantCulture), "--seconds", a.Seconds.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the watcher process.");
    }
}

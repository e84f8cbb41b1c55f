using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Bench;

/// <summary>
/// The child process: N watchers over WebSockets, each subscribed from step 0. For every point received it records the
/// delay from the point's time (the step's end, stamped by the live buffer) to now. Prints READY when all are subscribed,
/// then one RESULT line (JSON) when the run has ended for all.
/// </summary>
public static class WatcherClients
{
    public sealed record Result(int Watchers, long Points, long Messages, int WatchersComplete, double MedianMs, double P99Ms, double MaxMs);

    public static async Task<int> RunAsync(BenchArguments a)
    {
        var delays = new ConcurrentBag<double>();
        long messages = 0;
        var connections = new List<HubConnection>();
        var steps = new List<ConcurrentDictionary<long, byte>>();
        var ends = new List<Task>();
        for (var i = 0; i < a.Watchers; i++)
        {
            var seen = new ConcurrentDictionary<long, byte>();
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(new Uri(a.Url), RunsHub.Path.TrimStart('/')), o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    o.Headers["Cookie"] = a.Cookie;
                })
                .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
                .Build();
            connection.On<RunProgressMessage>(RunsHub.ProgressEvent, m =>
            {
                var now = DateTime.UtcNow;
                Interlocked.Increment(ref messages);
                foreach (var p in m.Points)
                {
                    delays.Add((now - p.At).TotalMilliseconds);
                    seen[p.Step] = 0;
                }
                if (m.Status is TrainingRunStatus.Completed) ended.TrySetResult();
            });
            await connection.StartAsync();
            var answer = await connection.InvokeAsync<RunSubscription?>(nameof(RunsHub.Subscribe), a.RunId, 0L)
                ?? throw new InvalidOperationException($"Subscribe({a.RunId}) answered null.");
            foreach (var p in answer.Points) seen[p.Step] = 0;
            connections.Add(connection);
            steps.Add(seen);
            ends.Add(ended.Task);
        }
        Console.WriteLine("READY");
        await Task.WhenAll(ends).WaitAsync(TimeSpan.FromSeconds(a.Seconds + 60));
        var sorted = delays.Order().ToArray();
        var complete = steps.Count(s => s.Count == a.TotalSteps && s.Keys.Min() == 1 && s.Keys.Max() == a.TotalSteps);
        var result = new Result(a.Watchers, sorted.Length, messages, complete,
            Percentile(sorted, 0.5), Percentile(sorted, 0.99), sorted.Length == 0 ? double.NaN : sorted[^1]);
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        foreach (var c in connections) await c.DisposeAsync();
        return 0;
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}

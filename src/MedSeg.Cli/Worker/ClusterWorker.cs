using System.Runtime.InteropServices;
using System.Text.Json;
using MedSeg.Cli.Commands;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Training.Fdsl;
using System.Text.Json.Nodes;
using MedSeg.Training.FineTune;
using MedSeg.Training.Methods;
using MedSeg.Training.Runs;
using MedSeg.Training.Worker;

namespace MedSeg.Cli.Worker;

/// <summary>The portal's names for the two methods it stores in shapes of their own (<c>TrainingRun.Method</c>).</summary>
internal static class TrainingMethodNames
{
    public const string Fdsl = "FDSL";
    public const string FineTune = "FineTune";
}

/// <summary>What <c>medseg worker run</c> was given.</summary>
internal sealed record WorkerSettings(int RunId, string PortalUrl, string Token, string? Device, int? Threads, TimeSpan SendInterval);

/// <summary>
/// One run's trainer on a compute node, started by a Slurm batch script: asks the portal what to train
/// (<see cref="WorkerLaunch"/>), trains it in the shared run folder always continuing from the newest checkpoint there,
/// streams the steps, and reports how it ended. SIGUSR1 (Slurm's warning before the time limit, or the portal's pause)
/// and SIGTERM (scancel, requeue, preemption) make the trainer write a checkpoint and stop; so do a pause or cancel the
/// portal answers with, and a revoked token. Exit code 0 when completed or stopped at a checkpoint, 1 when training
/// failed, 3 when the portal refused the token at the start.
/// </summary>
internal sealed class ClusterWorker(WorkerSettings settings, TextWriter log)
{
    public const int ExitRefused = 3;
    private const int SigUsr1 = 10; // Linux

    /// <summary>How often a step carries a process reading when the portal does not say (an older portal).</summary>
    private static readonly TimeSpan DefaultReadingInterval = TimeSpan.FromSeconds(5);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        string? cause = null;
        void Stop(string why)
        {
            if (Interlocked.CompareExchange(ref cause, why, null) is null) log.WriteLine($"worker: stopping at a checkpoint: {why}");
            stop.Cancel();
        }
        using var usr1 = PosixSignalRegistration.Create((PosixSignal)SigUsr1, c => { c.Cancel = true; Stop("SIGUSR1 (Slurm: time limit near, or a pause)"); });
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; Stop("SIGTERM (Slurm: job cancelled, requeued or preempted)"); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; Stop("SIGINT"); });

        using var client = new PortalWorkerClient(settings.PortalUrl, settings.Token, settings.RunId);
        var jobId = Environment.GetEnvironmentVariable("SLURM_JOB_ID");
        var node = Environment.GetEnvironmentVariable("SLURMD_NODENAME") ?? Environment.MachineName;
        WorkerLaunch launch;
        try
        {
            launch = await WithRetryAsync(() => client.StartAsync(new WorkerStart(jobId, node, settings.Device ?? "auto"), ct), TimeSpan.FromMinutes(2));
        }
        catch (Exception e) when (e is WorkerTokenRevokedException or InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            log.WriteLine($"error: run {settings.RunId}: {e.Message}");
            return ExitRefused;
        }
        log.WriteLine($"worker: run {launch.RunId} ({launch.Method}) in {launch.RunFolder} from step {launch.StartStep}, job {jobId ?? "-"} on {node}");

        var readingInterval = launch.SystemSampleSeconds is double seconds ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 86_400)) : DefaultReadingInterval;
        var sender = new StepSender(client, launch.RunFolder, Stop, settings.SendInterval, log,
            readingInterval > TimeSpan.Zero ? new ProcessReadings(settings.Device, readingInterval) : null);
        sender.Start();
        TrainingResult? result = null;
        string? error = null;
        try
        {
            result = await ForegroundRun.Start(() => Train(launch, sender, stop.Token), _ => { });
        }
        catch (Exception e)
        {
            error = e is TrainingException or ArgumentException or AvsDbSpecException or IOException or InvalidDataException or JsonException
                ? e.Message : $"{e.GetType().Name}: {e.Message}";
            log.WriteLine($"worker: training failed: {error}");
        }
        var sent = await sender.DrainAsync(TimeSpan.FromMinutes(2));
        if (!sent) log.WriteLine("worker: some steps could not be sent; the portal backfills them from metrics.jsonl");

        var outcome = error is not null ? WorkerFinish.Failed
            : result?.State == RunStatus.Completed ? WorkerFinish.Completed : WorkerFinish.Stopped;
        var finish = new WorkerFinish(outcome, result?.CompletedSteps, result?.TotalSteps, Relative(launch.RunFolder, result?.LastCheckpoint),
            Relative(launch.RunFolder, result?.BestCheckpoint), sender.LastValDice, error, outcome == WorkerFinish.Stopped ? cause : null);
        try
        {
            await WithRetryAsync(() => client.FinishAsync(finish, CancellationToken.None), TimeSpan.FromMinutes(2));
            log.WriteLine($"worker: run {launch.RunId} {outcome} at step {result?.CompletedSteps}");
        }
        catch (Exception e) when (e is WorkerTokenRevokedException or InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            // The portal reconciles from Slurm and the run folder (status.json, checkpoints, metrics.jsonl) when it can.
            log.WriteLine($"worker: could not report the end of run {launch.RunId}: {e.Message}");
        }
        return outcome == WorkerFinish.Failed ? CommandFailures.ExitFailure : 0;
    }

    private TrainingResult Train(WorkerLaunch launch, IProgress<Training.Progress.TrainingProgress> progress, CancellationToken ct)
    {
        if (launch.Method == TrainingMethodNames.FineTune)
        {
            var fineTune = JsonSerializer.Deserialize<FineTuneOptions>(launch.OptionsJson, FineTuneOptions.Json)
                ?? throw new ArgumentException("the portal sent empty fine-tune options");
            if (settings.Device is not null) fineTune.Device = settings.Device;
            fineTune.TorchThreads = settings.Threads ?? fineTune.TorchThreads;
            return new FineTuneTrainer(fineTune).RunAsync(progress, ct).GetAwaiter().GetResult().Training;
        }
        if (launch.Method != TrainingMethodNames.Fdsl)
        {
            // A catalogue method (volf, lwi, swin-ssl, …): its own options record, prepared as `medseg train <method>` does.
            var method = MethodCatalog.Default.Get(launch.Method);
            var json = JsonNode.Parse(launch.OptionsJson) as JsonObject ?? throw new ArgumentException("the portal sent options that are not a JSON object");
            if (settings.Device is not null) json["device"] = settings.Device;
            if (settings.Threads is int t && json.ContainsKey("torchThreads")) json["torchThreads"] = t;
            return method.Prepare(method.ReadOptions(JsonSerializer.SerializeToElement(json))).TrainAsync(progress, ct).GetAwaiter().GetResult();
        }
        var options = JsonSerializer.Deserialize<FdslOptions>(launch.OptionsJson, WorkerProtocol.Json)
            ?? throw new ArgumentException("the portal sent empty training options");
        if (settings.Device is not null) options.Device = settings.Device;
        options.TorchThreads = settings.Threads ?? options.TorchThreads;
        var trainer = launch.SpecJson is null ? FdslRunFactory.Create(options)
            : FdslRunFactory.FromSpec(options, AvsDbSpec.FromJson(launch.SpecJson, $"run {launch.RunId} spec"));
        return trainer.RunAsync(progress, ct).GetAwaiter().GetResult();
    }

    private static string? Relative(string folder, string? path) =>
        path is null ? null : Path.GetRelativePath(folder, path).Replace('\\', '/');

    /// <summary>Retries transient failures (portal restarting, network) for up to <paramref name="patience"/>.</summary>
    private async Task<T> WithRetryAsync<T>(Func<Task<T>> call, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            try { return await call(); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < until)
            {
                log.WriteLine($"worker: the portal does not answer ({e.Message}); retrying");
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}

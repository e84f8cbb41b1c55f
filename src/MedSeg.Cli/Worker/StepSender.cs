using MedSeg.Training.Progress;
using MedSeg.Training.Worker;

namespace MedSeg.Cli.Worker;

/// <summary>
/// The trainer's progress sink on a compute node: steps are queued on the trainer thread and posted in batches every
/// <c>interval</c> by a background loop. A batch leaves the queue only when the portal acknowledged it, so a portal that
/// restarts or is briefly unreachable loses no step (they go with the next batch). The answer may ask to pause or cancel;
/// a refused token stops the run too. Every few seconds a step carries a reading of this process (the run's system chart).
/// </summary>
internal sealed class StepSender(PortalWorkerClient client, string runFolder, Action<string> stop, TimeSpan interval, TextWriter log,
    ProcessReadings? readings = null)
    : IProgress<TrainingProgress>
{
    private readonly Lock gate = new();
    private readonly List<WorkerStep> pending = [];
    private readonly CancellationTokenSource quit = new();
    private Task? loop;

    /// <summary>Mean foreground Dice of the newest validation of this session.</summary>
    public double? LastValDice { get; private set; }

    public void Report(TrainingProgress p)
    {
        if (p.ValidationMeanDice is double dice) LastValDice = dice;
        var checkpoint = p.CheckpointPath is null ? null : Path.GetRelativePath(runFolder, p.CheckpointPath).Replace('\\', '/');
        var step = new WorkerStep(p.Step, p.TotalSteps, p.Loss, p.LearningRate, p.SamplesPerSecond, p.DataWaitFraction, p.MemoryBytes,
            p.Eta?.TotalSeconds, p.ValidationDice, p.ValidationMeanDice, checkpoint, readings?.TakeIfDue());
        lock (gate) pending.Add(step);
    }

    public void Start() => loop = Task.Run(LoopAsync);

    /// <summary>Stops the loop and sends what is left, retrying for up to <paramref name="patience"/>; false when some steps could not be sent.</summary>
    public async Task<bool> DrainAsync(TimeSpan patience)
    {
        quit.Cancel();
        if (loop is not null) await loop;
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                await SendPendingAsync(CancellationToken.None);
                return true;
            }
            catch (WorkerTokenRevokedException) { return false; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (DateTime.UtcNow > until) return false;
                log.WriteLine($"worker: sending the last steps failed ({e.Message}); retrying");
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    private async Task LoopAsync()
    {
        var failures = 0;
        while (!quit.IsCancellationRequested)
        {
            try { await Task.Delay(interval, quit.Token); } catch (OperationCanceledException) { return; }
            try
            {
                await SendPendingAsync(quit.Token);
                if (failures > 0) log.WriteLine($"worker: the portal answers again after {failures} failed attempts");
                failures = 0;
            }
            catch (OperationCanceledException) when (quit.IsCancellationRequested) { return; }
            catch (WorkerTokenRevokedException e)
            {
                log.WriteLine($"worker: {e.Message}; stopping at a checkpoint");
                stop("the portal revoked this worker's token");
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The portal restarting, or the network: training goes on (checkpoints are on shared storage), steps wait.
                if (failures++ % 30 == 0) log.WriteLine($"worker: the portal does not answer ({e.Message}); keeping steps until it does");
            }
        }
    }

    private async Task SendPendingAsync(CancellationToken ct)
    {
        List<WorkerStep> batch;
        lock (gate) batch = pending.Take(2000).ToList();
        var control = await client.StepsAsync(batch, ct);
        lock (gate) pending.RemoveRange(0, batch.Count);
        if (control.Action is WorkerControl.Pause or WorkerControl.Cancel) stop($"{control.Action} requested in the portal");
    }
}

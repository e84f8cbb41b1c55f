using MedSeg.Data;
using MedSeg.Training.Methods;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs.Execution;

/// <summary>
/// The co-hosted training service, i.e. the worker loop: waits for queued runs, claims one per free device slot and hands
/// it to <see cref="RunExecution"/> (start, train through <see cref="RunLauncher"/>, finish); <see cref="WorkerLeases"/>
/// keeps the leases, control requests and recovery; <see cref="RunLifecycle"/> owns the status changes. The queue is the <c>TrainingRuns</c> table (status Queued, by priority then position), so
/// it survives restarts. Up to <see cref="TrainingOptions.MaxConcurrentRuns"/> runs train at once, one per device slot, each
/// in its folder <c>runs/&lt;id&gt;</c> under the data root, always continuing from the newest checkpoint there.
/// At start-up every run left Running by a crash is queued again when it has a checkpoint (event "resumed-after-restart"),
/// or marked Interrupted when it has none: no run stays "running" without a trainer.
/// </summary>
public sealed class TrainingHostedService(
    IDbContextFactory<MedSegDbContext> dbFactory,
    TrainingQueue queue,
    RunLiveBuffer buffer,
    RunMetricsWriter writer,
    RunProgressFeed feed,
    DataPaths paths,
    IOptions<TrainingOptions> options,
    IOptions<LimitsOptions> limits,
    Features.Membership.LabQuotas quotas,
    ILogger<TrainingHostedService> logger,
    MethodCatalog? catalog = null,
    Tracking.RunSystemSamples? systemSamples = null) : BackgroundService
{
    // The host's catalogue (DI); a service built by hand trains the built-in methods.
    private readonly RunExecution execution = new(dbFactory, queue, buffer, writer, feed, paths,
        new RunLauncher(dbFactory, paths, options, limits, catalog ?? MethodCatalog.Default), logger, systemSamples);

    /// <summary>The lease, heartbeat, control-request and recovery side of this worker.</summary>
    internal WorkerLeases Leases { get; } = new(dbFactory, queue, feed, paths, options, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Training service disabled (Training:Enabled = false); queued runs wait for another server");
            return;
        }
        await Leases.RecoverAsync(stoppingToken);
        var control = Task.Run(() => Leases.KeepAsync(stoppingToken), CancellationToken.None);
        var running = new Dictionary<int, Task>(); // slot -> run task
        string[]? slots = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var done in running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList()) running.Remove(done);
                if (await HasQueuedAsync(stoppingToken))
                {
                    // Devices are probed only once there is work: probing loads libtorch.
                    slots ??= DeviceSlots.Resolve(options.Value.MaxConcurrentRuns);
                    for (var slot = 0; slot < slots.Length; slot++)
                    {
                        if (running.ContainsKey(slot)) continue;
                        var run = await ClaimNextAsync(slots[slot], stoppingToken);
                        if (run is null) break;
                        // Before the run's first database writes: with several workers, which one took it and when.
                        logger.LogInformation("Run {RunId} claimed by worker {Worker} for {Device}", run.Id, run.WorkerName, slots[slot]);
                        running[slot] = execution.RunAsync(run, slots[slot], stoppingToken);
                    }
                }
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var wait = queue.WaitAsync(options.Value.QueuePollInterval, wake.Token);
                await Task.WhenAny([wait, .. running.Values]);
                wake.Cancel(); // a finished run woke us: drop the pending wait so it does not eat a later signal
                try { await wait; } catch (OperationCanceledException) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A database hiccup must not end the service for the life of the process.
                logger.LogError(ex, "Training queue pass failed; retrying");
                try { await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken); } catch (OperationCanceledException) { break; }
            }
        }
        // Stopping: every trainer checkpoints at its next step and its run is queued again (see RunAsync).
        await Task.WhenAll(running.Values);
        await control;
    }

    private async Task<bool> HasQueuedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TrainingRuns.AnyAsync(r => r.Status == TrainingRunStatus.Queued && r.Backend == RunBackends.Local, ct);
    }

    /// <summary>
    /// Takes the first queued run of a lab below its quota of runs training at once, flipping it to Running atomically
    /// so no other worker takes it too.
    /// </summary>
    private async Task<TrainingRun?> ClaimNextAsync(string device, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Runs of other backends (Slurm) are theirs to claim.
        var id = await (await quotas.ClaimableQueryAsync(db, ct)).Where(r => r.Backend == RunBackends.Local).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
        if (id is null) return null;
        var now = DateTime.UtcNow;
        var (worker, lease) = (options.Value.EffectiveWorkerName, options.Value.LeaseDuration);
        var claimed = await RunLifecycle.ClaimAsync(db, id.Value, device, worker, now + lease, now, ct);
        return claimed ? await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == id, ct) : null;
    }
}

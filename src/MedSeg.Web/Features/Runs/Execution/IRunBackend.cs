using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Runs.Execution;

/// <summary>
/// Where runs execute (<see cref="TrainingRun.Backend"/>). Each backend takes its own Queued runs through
/// <see cref="RunLifecycle.ClaimAsync"/> and reports their ends through <see cref="RunLifecycle.Transition"/>:
/// <c>Local</c> = <see cref="TrainingHostedService"/> in the portal's process (leases between portal processes),
/// <c>Slurm</c> = <see cref="Cluster.SlurmRunService"/> (a batch job per start, the worker reporting over HTTP).
/// Pause and cancel requests are stored on the row first (<see cref="TrainingRun.RequestedAction"/>); the backend is then
/// asked to make the executor act on them at once.
/// </summary>
public interface IRunBackend
{
    /// <summary>A value of <see cref="RunBackends"/>.</summary>
    string Name { get; }

    /// <summary>Asks the executor of a Running run to checkpoint and stop (pause) or to end (cancel). Never throws for a lost race.</summary>
    Task RequestStopAsync(TrainingRun run, RunStopReason reason, CancellationToken ct);
}

/// <summary>The portal's own training service: its trainer (if in this process) stops at the next step.</summary>
public sealed class LocalRunBackend(TrainingQueue queue) : IRunBackend
{
    public string Name => RunBackends.Local;

    public Task RequestStopAsync(TrainingRun run, RunStopReason reason, CancellationToken ct)
    {
        queue.RequestStop(run.Id, reason);
        return Task.CompletedTask;
    }
}

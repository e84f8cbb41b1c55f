using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Runs.Cluster;

/// <summary>
/// Pause and cancel for runs on Slurm. Cancel = <c>scancel</c> (SIGTERM: the worker checkpoints; the job ends
/// CANCELLED). Pause of a running job = <c>scancel --signal=USR1 --batch</c> (the worker checkpoints and exits; the job
/// ends COMPLETED); of a job still pending = <c>scancel</c>. Either way the request is on the row, so the worker's next
/// progress answer carries it too, and <see cref="SlurmRunService"/> settles the run as Paused / Cancelled.
/// </summary>
public sealed class SlurmRunBackend(SlurmCli slurm, ILogger<SlurmRunBackend> logger) : IRunBackend
{
    public string Name => RunBackends.Slurm;

    public async Task RequestStopAsync(TrainingRun run, RunStopReason reason, CancellationToken ct)
    {
        if (run.ClusterJobId is not { } job) return; // not submitted yet: the worker reads the request when it starts
        try
        {
            if (reason == RunStopReason.Pause && run.ClusterJobState is not ("PENDING" or null)) await slurm.SignalAsync(job, "USR1", ct);
            else await slurm.CancelAsync(job, ct);
        }
        catch (SlurmException e)
        {
            // E.g. the job ended meanwhile: the poller settles the run from what Slurm and the run folder say.
            logger.LogWarning("Run {RunId}: asking Slurm job {Job} to {Reason} failed: {Message}", run.Id, job, reason, e.Message);
        }
    }
}

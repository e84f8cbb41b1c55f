using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// How a trainer's end becomes the run's status and event, for local runs (<c>RunExecution</c>) and cluster workers
/// (<c>ClusterWorkerReports</c>) alike: an error fails the run, a finished trainer completes it, a pause / cancel asked
/// for stops it so, and any other stop is <paramref name="Status"/> of the caller's <c>unrequested</c> ending.
/// </summary>
public sealed record RunEnding(TrainingRunStatus Status, string Kind, string Message)
{
    /// <param name="error">Why the trainer failed; null when it did not.</param>
    /// <param name="step">The step the run stopped at (or completed).</param>
    /// <param name="unrequested">The ending of a stop nobody asked for (local: the server stops; cluster: Slurm decides).</param>
    /// <param name="completedNote">Appended to the completion message (e.g. the Slurm job).</param>
    public static RunEnding Of(string? error, bool completed, RunStopReason reason, long step, RunEnding unrequested, string? completedNote = null)
    {
        if (error is not null) return new(TrainingRunStatus.Failed, RunEventKinds.Failed, error);
        if (completed) return new(TrainingRunStatus.Completed, RunEventKinds.Completed, $"Completed {step} steps{completedNote}");
        return reason switch
        {
            RunStopReason.Pause => new(TrainingRunStatus.Paused, RunEventKinds.Paused, $"Paused at step {step}"),
            RunStopReason.Cancel => new(TrainingRunStatus.Cancelled, RunEventKinds.Cancelled, $"Cancelled at step {step}"),
            _ => unrequested,
        };
    }

    /// <summary>
    /// The stop reason once the row's request (made in another process, not yet polled) is counted: a cancel overrides a
    /// pause, a pause overrides a plain shutdown.
    /// </summary>
    public static RunStopReason WithRequest(RunStopReason reason, RunControlAction? requested) => requested switch
    {
        RunControlAction.Cancel => RunStopReason.Cancel,
        RunControlAction.Pause when reason is RunStopReason.None or RunStopReason.Shutdown => RunStopReason.Pause,
        _ => reason,
    };
}

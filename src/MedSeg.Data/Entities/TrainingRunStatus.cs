namespace MedSeg.Data.Entities;

/// <summary>Life cycle of a training run. Stored as text.</summary>
public enum TrainingRunStatus
{
    /// <summary>Waiting in the queue (ordered by priority, then queue position).</summary>
    Queued,
    /// <summary>Being trained now by the co-hosted training service.</summary>
    Running,
    /// <summary>Stopped by a user at a step boundary after writing a checkpoint; resume continues from it.</summary>
    Paused,
    /// <summary>Reached its last step.</summary>
    Completed,
    /// <summary>Stopped by an error (see <see cref="TrainingRun.ErrorText"/>).</summary>
    Failed,
    /// <summary>Stopped by a user for good.</summary>
    Cancelled,
    /// <summary>The server stopped while it was running and no checkpoint existed; can be resumed (from step 0).</summary>
    Interrupted,
}

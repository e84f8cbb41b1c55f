namespace MedSeg.Data.Entities;

/// <summary>
/// A stop asked of a running run through the database (<see cref="TrainingRun.RequestedAction"/>), so it reaches the
/// training service wherever the run executes (this process, another portal process, a worker machine).
/// </summary>
public enum RunControlAction
{
    /// <summary>Checkpoint at the next step, then status Paused.</summary>
    Pause,
    /// <summary>Stop at the next step, then status Cancelled.</summary>
    Cancel,
}

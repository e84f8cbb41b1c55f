namespace MedSeg.Web.Features.Runs;

/// <summary>Why a running trainer was asked to stop at its next step boundary.</summary>
public enum RunStopReason
{
    None,
    /// <summary>User paused: checkpoint, then status Paused.</summary>
    Pause,
    /// <summary>User cancelled: status Cancelled.</summary>
    Cancel,
    /// <summary>The server is stopping: checkpoint, then queued again to resume at the next start.</summary>
    Shutdown,
    /// <summary>Another worker took the run over (this one's lease lapsed): stop, and leave the row to the new worker.</summary>
    LeaseLost,
}

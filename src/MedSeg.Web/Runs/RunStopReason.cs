namespace MedSeg.Web.Runs;

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
}

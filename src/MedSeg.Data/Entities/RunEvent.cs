namespace MedSeg.Data.Entities;

/// <summary>Something that happened to a run (queued, started, checkpointed, paused, failed, ...), for its timeline.</summary>
public class RunEvent
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public DateTime At { get; set; }

    /// <summary>One of <see cref="RunEventKinds"/>.</summary>
    public string Kind { get; set; } = "";

    public string Message { get; set; } = "";

    /// <summary>The run's step when it happened, if meaningful.</summary>
    public long? Step { get; set; }
}

/// <summary>Values of <see cref="RunEvent.Kind"/>.</summary>
public static class RunEventKinds
{
    public const string Queued = "queued";
    public const string Started = "started";
    public const string Resumed = "resumed";
    public const string ResumedAfterRestart = "resumed-after-restart";
    public const string Checkpointed = "checkpointed";
    public const string Validated = "validated";
    public const string PauseRequested = "pause-requested";
    public const string Paused = "paused";
    public const string CancelRequested = "cancel-requested";
    public const string Cancelled = "cancelled";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Interrupted = "interrupted";
    public const string PriorityChanged = "priority-changed";
    public const string Moved = "moved";
    public const string Cloned = "cloned";
    /// <summary>A run queued Paused until the run it starts from completes (e.g. the fine-tune of "Initialise with LWI, then train").</summary>
    public const string WaitingForRun = "waiting-for-run";
    /// <summary>A cluster run was handed to Slurm (job id, partition, resources) or Slurm refused it.</summary>
    public const string Submitted = "submitted";
    /// <summary>The run's Slurm job changed state (PENDING (Resources), RUNNING on a node, REQUEUED, ...).</summary>
    public const string JobState = "job-state";
    /// <summary>A cluster run's worker token was revoked: the worker's reports are refused from then on and it stops at a checkpoint.</summary>
    public const string TokenRevoked = "token-revoked";
}

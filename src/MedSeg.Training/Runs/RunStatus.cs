namespace MedSeg.Training.Runs;

/// <summary>Contents of status.json: honest state of a run (never "completed" for a crash).</summary>
public sealed record RunStatus(
    string State,
    long Step,
    long TotalSteps,
    DateTime StartedUtc,
    DateTime UpdatedUtc,
    string? Error = null,
    string? LastCheckpoint = null)
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Interrupted = "interrupted";
}

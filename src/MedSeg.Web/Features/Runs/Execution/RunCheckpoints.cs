using MedSeg.Training.Checkpoints;

namespace MedSeg.Web.Features.Runs.Execution;

/// <summary>Where a run folder's training would continue from.</summary>
internal static class RunCheckpoints
{
    /// <summary>The newest complete step checkpoint in a run folder (relative path) and its step; (0, null) without one.</summary>
    public static (long Step, string? Checkpoint) Latest(string runFolder)
    {
        var dir = Path.Combine(runFolder, "checkpoints");
        if (!Directory.Exists(dir)) return (0, null);
        var latest = new CheckpointStore(dir).List().LastOrDefault();
        return latest.Path is null ? (0, null) : (latest.Step, StepReporter.Relative(runFolder, latest.Path));
    }
}

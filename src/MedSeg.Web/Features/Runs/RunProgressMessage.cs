using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// A batch of live progress for one run (hub event <c>progress</c>, and the in-process notifier). <see cref="Points"/>
/// holds consecutive steps <see cref="FromStep"/>..<see cref="ToStep"/>; a message without points (status change,
/// new log lines) has <c>FromStep = ToStep + 1</c>. After a restart from a checkpoint, steps after the checkpoint are
/// sent again: a client keeps the newest point per step (see Runs/README.md).
/// </summary>
/// <param name="EtaSeconds">Seconds left at the current rate; null when unknown or not running.</param>
/// <param name="Checkpoint">Newest checkpoint folder relative to the run folder, if any.</param>
/// <param name="LogTail">Last lines of the run's log.txt; null when unchanged since the previous message.</param>
public sealed record RunProgressMessage(
    int RunId,
    long FromStep,
    long ToStep,
    IReadOnlyList<RunStepPoint> Points,
    TrainingRunStatus Status,
    long TotalSteps,
    double? EtaSeconds,
    string? Checkpoint,
    IReadOnlyList<string>? LogTail,
    string? Error = null);

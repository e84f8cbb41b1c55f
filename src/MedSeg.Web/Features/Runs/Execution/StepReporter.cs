using MedSeg.Training.Progress;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs.Execution;

/// <summary>
/// The trainer's <see cref="IProgress{T}"/> for a portal run: turns each report into a <see cref="RunStepPoint"/> for the
/// live buffer, synchronously on the trainer thread (so steps stay in order), with checkpoint paths relative to the run folder.
/// </summary>
public sealed class StepReporter(RunLiveBuffer buffer, int runId, string runFolder) : IProgress<TrainingProgress>
{
    /// <summary>Mean foreground Dice of the newest validation, if any happened in this session.</summary>
    public double? LastValDice { get; private set; }

    public void Report(TrainingProgress p)
    {
        var point = ToPoint(p, DateTime.UtcNow);
        if (p.ValidationMeanDice is double dice) LastValDice = dice;
        buffer.Report(runId, point, p.TotalSteps, p.Eta?.TotalSeconds, Relative(runFolder, p.CheckpointPath));
    }

    public static RunStepPoint ToPoint(TrainingProgress p, DateTime at) =>
        new(p.Step, at, p.Loss, p.LearningRate, p.SamplesPerSecond, p.DataWaitFraction, p.MemoryBytes, p.ValidationMeanDice, p.ValidationDice,
            p.Terms is { Count: > 0 } terms ? terms : null);

    public static string? Relative(string runFolder, string? path) =>
        path is null ? null : Path.GetRelativePath(runFolder, path).Replace('\\', '/');
}

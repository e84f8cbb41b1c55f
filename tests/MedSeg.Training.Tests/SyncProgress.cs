using MedSeg.Training.Progress;

namespace MedSeg.Training.Tests;

/// <summary>Reports on the trainer's thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
internal sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}

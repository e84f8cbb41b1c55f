using MedSeg.Training.Fdsl;
using MedSeg.Training.Loop;
using MedSeg.Training.Progress;

namespace MedSeg.Training.Methods;

/// <summary>
/// Everything the shared loop needs for one run of a method: its loop settings (optimiser, schedule, checkpoints,
/// device) and its parts (network, batches, objective, validation, config).
/// </summary>
public sealed record MethodRun(IPretrainingMethod Method, IMethodOptions Options, LoopSettings Settings, LoopParts Parts)
{
    /// <summary>Trains on the calling thread through <see cref="SegmentationTrainingLoop"/>.</summary>
    public TrainingResult Train(IProgress<TrainingProgress>? progress = null, CancellationToken ct = default) =>
        new SegmentationTrainingLoop(Settings, Parts).Run(progress, ct);

    /// <summary><see cref="Train"/> on a dedicated thread (TorchSharp dispose scopes are per thread).</summary>
    public Task<TrainingResult> TrainAsync(IProgress<TrainingProgress>? progress = null, CancellationToken ct = default) =>
        Task.Factory.StartNew(() => Train(progress, ct), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}

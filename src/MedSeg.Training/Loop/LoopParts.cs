using MedSeg.Training.Fdsl;
using MedSeg.Training.Methods;
using static TorchSharp.torch;

namespace MedSeg.Training.Loop;

/// <summary>Per-class validation Dice (background first; null = class absent from the held-out labels).</summary>
public delegate IReadOnlyList<double?> ValidateModel(nn.Module<Tensor, Tensor> model, Device device);

/// <summary>
/// The run-type specific pieces <see cref="SegmentationTrainingLoop"/> plugs together.
/// </summary>
public sealed record LoopParts
{
    public required ModelChoice Model { get; init; }
    public required Func<nn.Module<Tensor, Tensor>> BuildModel { get; init; }
    /// <summary>
    /// The method's heads and loss (<see cref="SegmentationObjective"/> for supervised segmentation). Built right after the
    /// backbone under the same seeded lock, so heads initialise reproducibly; disposed by the loop.
    /// </summary>
    public required Func<IMethodObjective> CreateObjective { get; init; }
    /// <summary>Created on the training thread once the model exists (so data preparation may fail fast first).</summary>
    public required Func<ITrainingBatches> CreateBatches { get; init; }
    public ValidateModel? Validate { get; init; }
    /// <summary>Fresh runs only (not on resume): e.g. load pretrained weights into the just-built model.</summary>
    public Action<nn.Module<Tensor, Tensor>, Runs.RunFolder>? Initialize { get; init; }
    /// <summary>Written to config.json (after resolving the device).</summary>
    public required Func<string, object> Config { get; init; }
    /// <summary>After the last step, before status.json says "completed" (e.g. the final test evaluation).</summary>
    public Action<Runs.RunFolder, TrainingResult, Device>? BeforeCompleted { get; init; }
}

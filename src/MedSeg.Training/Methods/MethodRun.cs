using MedSeg.Training.Loop;

namespace MedSeg.Training.Methods;

/// <summary>
/// Everything the shared loop needs for one run of a method: its loop settings (optimiser, schedule, checkpoints,
/// device) and its parts (network, batches, objective, validation, config).
/// </summary>
public sealed record MethodRun(IPretrainingMethod Method, IMethodOptions Options, LoopSettings Settings, LoopParts Parts);

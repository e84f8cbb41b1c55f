using MedSeg.Training.Fdsl;
using MedSeg.Training.Weights;

namespace MedSeg.Training.FineTune;

/// <summary>Outcome of a fine-tuning run: the training result, what the init loaded (null for scratch or a resumed run) and the final evaluation (null unless completed).</summary>
public sealed record FineTuneResult(TrainingResult Training, StateDictLoadReport? Init, FineTuneEvaluation? Evaluation);

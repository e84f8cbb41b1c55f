namespace MedSeg.Training.Fdsl;

/// <summary>A training run failed for a reason the user can act on (message says what and where).</summary>
public sealed class TrainingException(string message, Exception? inner = null) : Exception(message, inner);

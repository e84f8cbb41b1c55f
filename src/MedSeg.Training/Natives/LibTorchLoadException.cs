namespace MedSeg.Training.Natives;

/// <summary>A libtorch folder named by <c>MEDSEG_LIBTORCH</c> / <c>Training:LibTorchPath</c> cannot be used; the message says why and what to do.</summary>
public sealed class LibTorchLoadException(string message, Exception? inner = null) : Exception(message, inner);

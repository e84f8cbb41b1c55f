namespace MedSeg.Training.Devices;

/// <summary>
/// How a run computes, resolved once at its start and written to config.json (<c>compute</c>): the device asked for and
/// the one used, the precision, the process-wide cuDNN benchmark and TF32 switches as set (null on the CPU, where they do
/// nothing), whether batches travel through pinned memory, and which libtorch the process loaded.
/// </summary>
public sealed record ComputeReport(
    string RequestedDevice, string Device, string Precision, bool? CudnnBenchmark, bool? AllowTf32, bool PinnedMemory, string Libtorch);

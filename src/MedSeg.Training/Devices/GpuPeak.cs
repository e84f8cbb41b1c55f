using static TorchSharp.torch;

namespace MedSeg.Training.Devices;

/// <summary>
/// Peak GPU memory of a benchmark: the NVML reading at construction is the baseline (take it before building the
/// network), each <see cref="Sample"/> (after a synchronising step) raises the peak. Null on the CPU or without NVML.
/// </summary>
public sealed class GpuPeak
{
    private readonly int? index;
    private readonly long baseline;
    private long peak;

    public GpuPeak(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.type != TorchSharp.DeviceType.CUDA) return;
        int i = Math.Max(0, (int)device.index);
        if (GpuMemory.UsedBytes(i) is not long used) return;
        index = i;
        baseline = peak = used;
    }

    public void Sample()
    {
        if (index is int i && GpuMemory.UsedBytes(i) is long used) peak = Math.Max(peak, used);
    }

    /// <summary>Peak bytes above the baseline, or null when not measured.</summary>
    public long? PeakBytes => index is null ? null : peak - baseline;
}

using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Inference;

/// <summary>
/// Chooses the windows per predictor call when <see cref="SlidingWindowOptions.SwBatchSize"/> is
/// <see cref="SlidingWindowOptions.AutoSwBatch"/>: the first window runs alone while the process's peak resident memory
/// is measured (Linux: VmHWM reset through /proc/self/clear_refs); then as many windows as fit in a quarter of the
/// memory the system still has available (MemAvailable), at most <see cref="MaxCpuBatch"/> on the CPU (larger batches
/// gain nothing there). CUDA memory is not visible to TorchSharp 0.107, so on a GPU, or where nothing can be measured, 1.
/// </summary>
internal static class SwBatchPlanner
{
    public const int MaxCpuBatch = 4;

    /// <summary>Starts measuring (before the first window); null where peak memory cannot be reset.</summary>
    public static long? StartMeasuring(Device computeDevice)
    {
        if (computeDevice.type != DeviceType.CPU || !OperatingSystem.IsLinux()) return null;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5"); // resets VmHWM to the current resident size
            return Status("VmHWM");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>The batch for the remaining windows, given what <see cref="StartMeasuring"/> returned.</summary>
    public static int Choose(long? startBytes, int remainingWindows)
    {
        if (startBytes is not long start || Status("VmHWM") is not long peak || Meminfo("MemAvailable") is not long available) return 1;
        long perWindow = Math.Max(1, peak - start);
        long fit = available / 4 / perWindow;
        return (int)Math.Clamp(fit, 1, Math.Max(1, Math.Min(MaxCpuBatch, remainingWindows)));
    }

    private static long? Status(string field) => KilobyteField("/proc/self/status", field);

    private static long? Meminfo(string field) => KilobyteField("/proc/meminfo", field);

    private static long? KilobyteField(string file, string field)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
                if (line.StartsWith(field + ":", StringComparison.Ordinal)
                    && long.TryParse(line[(field.Length + 1)..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
                    return kb * 1024;
        }
        catch (IOException) { }
        return null;
    }
}

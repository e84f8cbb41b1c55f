using System.Diagnostics;
using System.Globalization;
using MedSeg.Training.Devices;
using MedSeg.Training.Worker;

namespace MedSeg.Cli.Worker;

/// <summary>
/// Readings of the worker process for the run's system chart: CPU share since the previous reading (all cores this
/// process may use = 100), resident memory and, on a CUDA device, the device's memory in use (NVML). One reading per
/// <c>interval</c>; the portal keeps them as it keeps a local run's samples.
/// </summary>
internal sealed class ProcessReadings(string? device, TimeSpan interval)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly int? cudaIndex = CudaIndex(device);
    private TimeSpan lastAt;
    private TimeSpan lastCpu = CpuTime();

    /// <summary>A reading when <c>interval</c> has passed since the last one, else null.</summary>
    public WorkerSystemReading? TakeIfDue()
    {
        var now = clock.Elapsed;
        if (now - lastAt < interval) return null;
        var cpu = CpuTime();
        var wall = (now - lastAt).TotalMilliseconds;
        var percent = wall <= 0 ? 0 : 100.0 * (cpu - lastCpu).TotalMilliseconds / wall / Environment.ProcessorCount;
        (lastAt, lastCpu) = (now, cpu);
        using var process = Process.GetCurrentProcess();
        return new WorkerSystemReading(Math.Clamp(percent, 0, 100), process.WorkingSet64, null,
            cudaIndex is int index ? GpuMemory.UsedBytes(index) : null);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>"cuda:1" → 1, "cuda" → 0; null for the CPU and "auto" (the portal's chart then shows no GPU line).</summary>
    internal static int? CudaIndex(string? device) =>
        device is null || !device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? null
        : device.IndexOf(':') is var colon and > 0 && int.TryParse(device.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : 0;
}

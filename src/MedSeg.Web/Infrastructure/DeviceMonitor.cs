using System.Diagnostics;
using System.Globalization;

namespace MedSeg.Web.Infrastructure;

/// <summary>One reading of the machine the portal trains on.</summary>
public sealed record DeviceUsage(
    double CpuPercent, int Cores, long ProcessMemoryBytes, long MachineMemoryUsedBytes, long MachineMemoryTotalBytes,
    IReadOnlyList<GpuUsage> Gpus);

public sealed record GpuUsage(int Index, string Name, long MemoryUsedBytes, long MemoryTotalBytes, double UtilizationPercent);

/// <summary>
/// CPU and memory of this host for the dashboard: the portal process's CPU share since the previous reading (all
/// cores = 100%), machine memory from /proc/meminfo, and GPU memory from nvidia-smi when one is installed
/// (TorchSharp exposes no CUDA allocator statistics). Readings are cached for <see cref="MinInterval"/> so many
/// open dashboards cost one probe.
/// </summary>
public sealed class DeviceMonitor
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private readonly bool hasNvidiaSmi = File.Exists("/usr/bin/nvidia-smi") || File.Exists("/usr/local/bin/nvidia-smi");
    private TimeSpan lastCpu;
    private long lastTicks;
    private DeviceUsage? last;

    public DeviceUsage Read()
    {
        lock (gate)
        {
            var now = Environment.TickCount64;
            if (last is not null && now - lastTicks < MinInterval.TotalMilliseconds) return last;
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var cores = Environment.ProcessorCount;
            var cpuPercent = lastTicks == 0 ? 0
                : 100.0 * (cpu - lastCpu).TotalMilliseconds / Math.Max(1, now - lastTicks) / cores;
            lastCpu = cpu;
            lastTicks = now;
            var (used, total) = MachineMemory();
            last = new DeviceUsage(Math.Clamp(cpuPercent, 0, 100), cores, process.WorkingSet64, used, total, hasNvidiaSmi ? Gpus() : []);
            return last;
        }
    }

    private static (long Used, long Total) MachineMemory()
    {
        try
        {
            long total = 0, available = 0;
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal)) total = Kb(line);
                else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)) available = Kb(line);
            }
            if (total > 0) return (total - available, total);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        var info = GC.GetGCMemoryInfo();
        return (info.MemoryLoadBytes, info.TotalAvailableMemoryBytes);

        static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static IReadOnlyList<GpuUsage> Gpus()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("nvidia-smi",
                "--query-gpu=index,name,memory.used,memory.total,utilization.gpu --format=csv,noheader,nounits")
            { RedirectStandardOutput = true, UseShellExecute = false });
            if (p is null) return [];
            var output = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(2000)) { p.Kill(); return []; }
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseGpu).OfType<GpuUsage>().ToList();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return [];
        }
    }

    internal static GpuUsage? ParseGpu(string line)
    {
        var f = line.Split(',', StringSplitOptions.TrimEntries);
        var c = CultureInfo.InvariantCulture;
        if (f.Length < 5 || !int.TryParse(f[0], c, out var index) || !long.TryParse(f[2], c, out var usedMb)
            || !long.TryParse(f[3], c, out var totalMb)) return null;
        double.TryParse(f[4], c, out var util);
        return new GpuUsage(index, f[1], usedMb * 1024 * 1024, totalMb * 1024 * 1024, util);
    }
}

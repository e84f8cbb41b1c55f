using System.Globalization;
using System.Runtime.InteropServices;

namespace MedSeg.Training.Devices;

/// <summary>
/// Memory in use on a CUDA device, from NVML (<c>libnvidia-ml.so.1</c>, installed with the NVIDIA driver). TorchSharp
/// 0.107 exposes no CUDA allocator statistics, so benchmarks sample this after every step and report the peak above the
/// reading taken before the network was built (whole device: run benchmarks on an otherwise idle GPU). cuda:N is mapped
/// through <c>CUDA_VISIBLE_DEVICES</c> (indices or UUIDs) to NVML's physical device. Null where there is no NVML.
/// </summary>
public static class GpuMemory
{
    private const string Nvml = "libnvidia-ml.so.1";
    private static readonly Lazy<bool> Initialised = new(() =>
    {
        try { return nvmlInit_v2() == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    });

    /// <summary>Bytes in use on CUDA device <paramref name="cudaIndex"/> (as torch numbers it), or null without NVML.</summary>
    public static long? UsedBytes(int cudaIndex)
    {
        if (!Initialised.Value) return null;
        IntPtr device;
        var visible = Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var id = visible is { Length: > 0 } && cudaIndex < visible.Length ? visible[cudaIndex] : cudaIndex.ToString(CultureInfo.InvariantCulture);
        int status = uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var physical)
            ? nvmlDeviceGetHandleByIndex_v2(physical, out device)
            : nvmlDeviceGetHandleByUUID(id, out device);
        if (status != 0 || nvmlDeviceGetMemoryInfo(device, out var memory) != 0) return null;
        return (long)memory.Used;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory { public ulong Total, Free, Used; }

    [DllImport(Nvml)] private static extern int nvmlInit_v2();
    [DllImport(Nvml)] private static extern int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);
    [DllImport(Nvml, CharSet = CharSet.Ansi)] private static extern int nvmlDeviceGetHandleByUUID(string uuid, out IntPtr device);
    [DllImport(Nvml)] private static extern int nvmlDeviceGetMemoryInfo(IntPtr device, out NvmlMemory memory);
}

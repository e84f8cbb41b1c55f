using System.Diagnostics;

namespace MedSeg.Training.Optimization;

/// <summary>
/// Memory figure reported with progress: the process working set. TorchSharp 0.107 exposes no
/// CUDA allocator statistics (no memory_allocated), so on CUDA this is host memory too.
/// </summary>
public static class MemoryProbe
{
    public static long WorkingSetBytes()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }
}

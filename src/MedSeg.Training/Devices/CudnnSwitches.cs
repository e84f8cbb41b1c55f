using System.Runtime.InteropServices;
using TorchSharp;

namespace MedSeg.Training.Devices;

/// <summary>
/// libtorch's process-wide cuDNN benchmark switch (<c>torch.backends.cudnn.benchmark</c>: autotune convolution algorithms
/// per input shape — worth it for fixed-size 3D crops). TorchSharp 0.107 exposes TF32 but not this switch, so it is set on
/// <c>at::globalContext()</c> through libtorch_cpu's exported C++ symbols (Itanium ABI: the context pointer is the first
/// argument). The flag lives in libtorch_cpu, so it can be set and read back on a CPU-only build too.
/// </summary>
public static class CudnnSwitches
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate IntPtr GlobalContext();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void SetFlag(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] [return: MarshalAs(UnmanagedType.U1)] private delegate bool GetFlag(IntPtr context);

    private static readonly Lazy<(GlobalContext Context, SetFlag Set, GetFlag Get)?> Exports = new(Bind);

    /// <summary>Whether the switch can be reached in this libtorch (false: an unexpected build; the run then records null).</summary>
    public static bool Available => Exports.Value is not null;

    /// <summary>The current value, or null when <see cref="Available"/> is false.</summary>
    public static bool? Benchmark
    {
        get => Exports.Value is { } e ? e.Get(e.Context()) : null;
    }

    /// <summary>Sets the switch; returns the value now in effect (null when unavailable).</summary>
    public static bool? SetBenchmark(bool value)
    {
        if (Exports.Value is not { } e) return null;
        e.Set(e.Context(), value);
        return e.Get(e.Context());
    }

    private static (GlobalContext, SetFlag, GetFlag)? Bind()
    {
        _ = torch.CPU; // TorchSharp loads libtorch first
        if (!NativeLibrary.TryLoad("torch_cpu", typeof(torch).Assembly, null, out var library)) return null;
        if (!NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var context)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context17setBenchmarkCuDNNEb", out var set)
            || !NativeLibrary.TryGetExport(library, "_ZNK2at7Context14benchmarkCuDNNEv", out var get))
            return null;
        return (Marshal.GetDelegateForFunctionPointer<GlobalContext>(context),
            Marshal.GetDelegateForFunctionPointer<SetFlag>(set), Marshal.GetDelegateForFunctionPointer<GetFlag>(get));
    }
}

using MedSeg.Training.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Optimization;

/// <summary>Resolves "auto" | "cpu" | "cuda[:N]" to a torch device (auto = cuda:0 when available; see <see cref="DeviceResolution"/>).</summary>
public static class DeviceSelector
{
    public static Device Resolve(string? name) => torch.device(ResolveName(name));

    /// <summary>The canonical name ("cpu", "cuda:N") of the device <paramref name="name"/> selects on this machine.</summary>
    public static string ResolveName(string? name) => DeviceResolution.Resolve(name, CudaDeviceCount());

    public static int CudaDeviceCount() => cuda.is_available() ? cuda.device_count() : 0;

    /// <summary>TF32 for CUDA matmuls and cuDNN convolutions (process-wide switches in libtorch).</summary>
    public static void SetTf32(bool allow)
    {
        backends.cuda.matmul.allow_tf32 = allow;
        backends.cudnn.allow_tf32 = allow;
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Optimization;

/// <summary>Resolves "auto" | "cpu" | "cuda[:N]" to a torch device (auto = CUDA when available).</summary>
public static class DeviceSelector
{
    public static Device Resolve(string? name)
    {
        var n = (name ?? "auto").Trim().ToLowerInvariant();
        if (n == "auto") return cuda.is_available() ? CUDA : CPU;
        if (n == "cpu") return CPU;
        if (n == "cuda" || n.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new ArgumentException($"Device '{name}' was requested but CUDA is not available (CPU-only libtorch or no GPU); use --device cpu or auto.");
            return torch.device(n);
        }
        throw new ArgumentException($"Unknown device '{name}': expected auto, cpu or cuda[:N].");
    }

    /// <summary>TF32 for CUDA matmuls and cuDNN convolutions (process-wide switches in libtorch).</summary>
    public static void SetTf32(bool allow)
    {
        backends.cuda.matmul.allow_tf32 = allow;
        backends.cudnn.allow_tf32 = allow;
    }
}

using System.Globalization;

namespace MedSeg.Training.Devices;

/// <summary>
/// <c>--device auto|cpu|cuda|cuda:N</c> → the one device a run uses, as a canonical name ("cpu", "cuda:N"), given how
/// many CUDA devices this process sees. Pure (no libtorch call), so every case is tested on a CPU-only machine;
/// <see cref="Optimization.DeviceSelector"/> feeds it the real count. "cuda" means device 0, so what a run records is
/// always the exact device.
/// </summary>
public static class DeviceResolution
{
    public static string Resolve(string? requested, int cudaDevices)
    {
        var n = (requested ?? "auto").Trim().ToLowerInvariant();
        if (n is "" or "auto") return cudaDevices > 0 ? "cuda:0" : "cpu";
        if (n == "cpu") return "cpu";
        if (n == "cuda" || n.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (cudaDevices <= 0)
                throw new ArgumentException($"Device '{requested}' was requested but CUDA is not available (CPU-only libtorch or no GPU); use --device cpu or auto.");
            if (n == "cuda") return "cuda:0";
            var index = n["cuda:".Length..];
            if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int i))
                throw new ArgumentException($"Device '{requested}': '{index}' is not a device index (expected cuda:0 … cuda:{cudaDevices - 1}).");
            if (i >= cudaDevices)
                throw new ArgumentException($"Device '{requested}': this machine has {cudaDevices} CUDA device(s), cuda:0 … cuda:{cudaDevices - 1}.");
            return $"cuda:{i}";
        }
        throw new ArgumentException($"Unknown device '{requested}': expected auto, cpu, cuda or cuda:N.");
    }
}

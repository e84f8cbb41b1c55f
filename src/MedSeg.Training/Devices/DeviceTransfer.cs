using static TorchSharp.torch;

namespace MedSeg.Training.Devices;

/// <summary>
/// The one seam between host batches and the compute device. On CUDA a batch is copied into pinned (page-locked) host
/// memory and sent with a non-blocking copy, so the copy overlaps the previous step's kernels (the stream orders it before
/// the next kernel that reads it); on the CPU the same calls run with pinning off and the copy is a no-op move. Tests run
/// this exact code with <c>cpu</c>. Generators: TorchSharp 0.107's <c>Generator(seed, device)</c> creates a CPU generator
/// whatever the device (THSGenerator_new ignores it), so random masks are drawn on the host generator and moved through
/// <see cref="ToDevice"/> — identical streams on CPU and CUDA (see <see cref="Randomness.RunRandom"/>).
/// </summary>
public sealed class DeviceTransfer
{
    public DeviceTransfer(Device device, bool? pinMemory = null)
    {
        Device = device;
        PinMemory = pinMemory ?? PinsFor(device.type);
    }

    /// <summary>Whether batches for a device of <paramref name="type"/> go through pinned memory by default (CUDA only).</summary>
    public static bool PinsFor(TorchSharp.DeviceType type) => type == TorchSharp.DeviceType.CUDA;

    public Device Device { get; }

    /// <summary>Pinned host memory + non-blocking copies (default: on CUDA only; pinning needs a CUDA runtime).</summary>
    public bool PinMemory { get; }

    /// <summary>
    /// <paramref name="host"/> on <see cref="Device"/>; a tensor already there is returned as is. Call inside a dispose
    /// scope: the pinned staging copy is a temporary of that scope.
    /// </summary>
    public Tensor ToDevice(Tensor host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.device.type == Device.type && host.device.index == Device.index) return host;
        var source = PinMemory && host.device.type == TorchSharp.DeviceType.CPU && !host.is_pinned() ? host.pin_memory() : host;
        return source.to(Device, non_blocking: PinMemory);
    }
}

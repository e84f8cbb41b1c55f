using MedSeg.Training.Natives;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Randomness;

/// <summary>
/// The generator the stochastic layers (<see cref="Networks.Layers.RunDropout"/>, <see cref="Networks.DropPath"/>) of a
/// model running on this thread draw from: the training loop activates its run's own generator around each step, so
/// runs sharing a process neither disturb each other nor depend on the global generator. Outside an active scope
/// they draw from libtorch's default generator as before. TorchSharp 0.107 creates only CPU generators
/// (THSGenerator_new ignores the device), so masks are drawn on the CPU and moved to the tensor's device — the same
/// masks on CPU and CUDA, at the cost of a host-to-device copy per dropout layer (only when a drop rate is > 0).
/// </summary>
public static class RunRandom
{
    [ThreadStatic] private static Generator? _current;

    /// <summary>The generator active on this thread, or null (default generator).</summary>
    public static Generator? Current => _current;

    /// <summary>Makes <paramref name="generator"/> current on this thread until the returned scope is disposed.</summary>
    public static Scope Use(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var previous = _current;
        _current = generator;
        return new Scope(previous);
    }

    /// <summary>A {0, 1/keep} mask of <paramref name="shape"/> with <paramref name="like"/>'s dtype and device (inverted dropout).</summary>
    public static Tensor KeepMask(long[] shape, double keep, Tensor like)
    {
        var generator = _current;
        Tensor mask;
        if (generator is null) mask = empty(shape, like.dtype, like.device).bernoulli_(keep);
        else
        {
            mask = empty(shape, like.dtype, CPU).bernoulli_(keep, generator);
            if (like.device.type != DeviceType.CPU) mask = mask.to(like.device);
        }
        return keep > 0 ? mask.DividedInPlaceBy(keep) : mask;
    }

    public readonly struct Scope(Generator? previous) : IDisposable
    {
        public void Dispose() => _current = previous;
    }
}

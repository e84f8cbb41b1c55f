using TorchSharp;

namespace MedSeg.Training.Randomness;

/// <summary>
/// The one lock around libtorch's process-wide default CPU generator. Weight initialisation must draw from it:
/// TorchSharp 0.107's module constructors (Conv3d, Linear, LayerNorm, …) initialise natively with the default generator
/// and take no generator argument, and its <c>nn.init</c> offers a generator only for uniform_/normal_/trunc_normal_
/// (not kaiming_uniform_, which the layers use). So a seeded build is (manual_seed + construct) under this lock, and
/// every model the library builds (<see cref="Networks.ModelFactory.Create"/>) holds it too, so concurrent runs,
/// evaluations and predictions in one process cannot shift each other's initialisation. Code outside the library that
/// constructs modules or draws random numbers without the lock still can.
/// </summary>
public static class GlobalTorchRandom
{
    private static readonly Lock Gate = new(); // reentrant: a seeded build may call ModelFactory.Create

    /// <summary>Seeds the default generator with <paramref name="seed"/> and runs <paramref name="build"/>, exclusively.</summary>
    public static T Seeded<T>(long seed, Func<T> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        lock (Gate)
        {
            torch.manual_seed(seed);
            return build();
        }
    }

    /// <summary>Runs <paramref name="draw"/> (which draws from the default generator) while no seeded build is in progress.</summary>
    public static T Exclusive<T>(Func<T> draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        lock (Gate) return draw();
    }
}

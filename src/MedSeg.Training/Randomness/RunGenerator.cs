using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Randomness;

/// <summary>
/// A training run's own torch generator (CPU; see <see cref="RunRandom"/>), seeded from the run's seed and saved in /
/// restored from each checkpoint's state.json, so dropout and stochastic depth continue exactly on resume without
/// touching the process-wide generator.
/// </summary>
public sealed class RunGenerator : IDisposable
{
    // Keeps the stream apart from the weight-init seed (the same number fed to manual_seed).
    private const ulong StreamKey = 0x52554E47454E3031UL;

    public RunGenerator(long seed) => Generator = new Generator(Mix(unchecked((ulong)seed) ^ StreamKey));

    public Generator Generator { get; }

    /// <summary>Makes this generator current on the calling thread (<see cref="RunRandom.Use"/>).</summary>
    public RunRandom.Scope Activate() => RunRandom.Use(Generator);

    public string SaveState()
    {
        using var state = Generator.get_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }

    public void RestoreState(string base64, string source)
    {
        byte[] bytes;
        try { bytes = Convert.FromBase64String(base64); }
        catch (FormatException e) { throw new InvalidDataException($"{source}: run generator state is not base64 ({e.Message}).", e); }
        using var state = torch.tensor(bytes, new long[] { bytes.Length }, ScalarType.Byte);
        try { Generator.set_state(state); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{source}: run generator state of {bytes.Length} bytes was rejected ({e.Message}).", e);
        }
    }

    public void Dispose() => Generator.Dispose();

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

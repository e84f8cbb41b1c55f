using MedSeg.Training.Natives;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.SwinSsl;

/// <summary>
/// NT-Xent as MONAI research <c>Contrast</c>: rows of the two views normalised, cosine similarities of all 2B rows,
/// positives (i, i + B) and (i + B, i), denominator over every other row (the positive included, the row itself
/// excluded): Σ −log(exp(pos/T) / Σ_{k≠i} exp(sim_ik/T)) / 2B.
/// </summary>
public static class NtXentLoss
{
    public const double DefaultTemperature = 0.5;

    public static Tensor Compute(Tensor a, Tensor b, double temperature = DefaultTemperature)
    {
        if (a.dim() != 2 || !a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"NT-Xent expects two [B, D] views of equal shape, got [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].");
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), $"temperature must be > 0, got {temperature}.");
        using var scope = NewDisposeScope();
        long n = a.shape[0];
        var z = cat([nn.functional.normalize(a, dim: 1), nn.functional.normalize(b, dim: 1)], 0);
        var sim = z.mm(z.t());
        var positives = cat([sim.diagonal(n), sim.diagonal(-n)], 0);
        var others = eye(2 * n, dtype: sim.dtype, device: sim.device).SubtractedFrom(1);
        var denominator = (others * sim.DividedBy(temperature).exp()).sum(1);
        var loss = (-positives.DividedBy(temperature).Minus(denominator.log()).sum()).DividedBy(2 * n);
        return loss.MoveToOuterDisposeScope();
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Optimization;

/// <summary>
/// The moment update and parameter step that TorchSharp's Adam and AdamW share, with every Scalar held in a local
/// until its native call has returned (see <see cref="Natives.ScalarSafe"/>): the library's own step makes eight
/// temporary Scalars per parameter, the most exposed code of a training step. Same aten ops in the same order, so
/// the same numbers as <c>torch.optim.Adam(W)</c> (tests compare them bit for bit).
/// </summary>
internal static class AdamStep
{
    public static void Update(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, long step,
        double lr, double beta1, double beta2, double eps)
    {
        var biasCorrection1 = 1 - Math.Pow(beta1, step);
        var biasCorrection2 = 1 - Math.Pow(beta2, step);
        using var b1 = beta1.ToScalar();
        using var oneMinusB1 = (1 - beta1).ToScalar();
        using var b2 = beta2.ToScalar();
        using var oneMinusB2 = (1 - beta2).ToScalar();
        using var sqrtBc2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var epsilon = eps.ToScalar();
        using var stepSize = (-(lr / biasCorrection1)).ToScalar();
        expAvg.mul_(b1).add_(grad, oneMinusB1);
        expAvgSq.mul_(b2).addcmul_(grad, grad, oneMinusB2);
        var denom = expAvgSq.sqrt().div_(sqrtBc2).add_(epsilon, Natives.ScalarSafe.One);
        param.addcdiv_(expAvg, denom, stepSize);
    }

    public static void RequirePlain(bool amsgrad, bool maximize)
    {
        if (amsgrad || maximize)
            throw new NotSupportedException("The scalar-safe Adam(W) implements the plain algorithm (no amsgrad, no maximize).");
    }
}

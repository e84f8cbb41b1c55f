using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Optimization;

/// <summary>
/// The step that TorchSharp's Adam and AdamW share, with every Scalar held in a local until its native call has
/// returned (see <see cref="Natives.ScalarSafe"/>): the library's own step makes eight temporary Scalars per
/// parameter, the most exposed code of a training step. Same aten ops in the same order, so the same numbers as
/// <c>torch.optim.Adam(W)</c> (tests compare them bit for bit).
/// </summary>
internal static class AdamStep
{
    /// <summary>The moment buffers of one parameter after its step count has been advanced.</summary>
    public readonly record struct Moments(long Step, Tensor ExpAvg, Tensor ExpAvgSq);

    /// <param name="advance">Advances a parameter's step count in the optimizer's state; returns its moments.</param>
    /// <param name="decay">The variant's weight decay: AdamW scales the parameter, Adam adds to the gradient (returned).</param>
    public static void Run(IEnumerable<Parameter> parameters, OptimizerOptions options, double beta1, double beta2, double eps,
        bool amsgrad, bool maximize, Func<Parameter, Moments> advance, Func<Parameter, Tensor, double, Tensor> decay)
    {
        if (amsgrad || maximize)
            throw new NotSupportedException("The scalar-safe Adam(W) implements the plain algorithm (no amsgrad, no maximize).");
        double lr = options.LearningRate!.Value;
        // The group's constants, once per step rather than once per parameter; held until the loop is done.
        using var b1 = beta1.ToScalar();
        using var oneMinusB1 = (1 - beta1).ToScalar();
        using var b2 = beta2.ToScalar();
        using var oneMinusB2 = (1 - beta2).ToScalar();
        using var epsilon = eps.ToScalar();
        foreach (var param in parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            var m = advance(param);
            grad = decay(param, grad, lr);
            // Bias corrections follow each parameter's own step count (as the library's step).
            var biasCorrection1 = 1 - Math.Pow(beta1, m.Step);
            var biasCorrection2 = 1 - Math.Pow(beta2, m.Step);
            using var sqrtBc2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var stepSize = (-(lr / biasCorrection1)).ToScalar();
            m.ExpAvg.mul_(b1).add_(grad, oneMinusB1);
            m.ExpAvgSq.mul_(b2).addcmul_(grad, grad, oneMinusB2);
            var denom = m.ExpAvgSq.sqrt().div_(sqrtBc2).add_(epsilon, Natives.ScalarSafe.One);
            param.addcdiv_(m.ExpAvg, denom, stepSize);
        }
    }
}

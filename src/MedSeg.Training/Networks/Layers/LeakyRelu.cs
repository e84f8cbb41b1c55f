using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Layers;

/// <summary>
/// LeakyReLU that keeps its slope <see cref="Scalar"/> alive across the native call. TorchSharp 0.107's own module
/// passes the handle of a temporary Scalar without <c>GC.KeepAlive</c>, so a garbage collection during the call can free
/// it first (seen as "Expected false to be true … toFloat" from libtorch, under load, in parallel tests).
/// Parameterless: state_dict keys are unchanged.
/// </summary>
public sealed class LeakyRelu(double negativeSlope = 0.01, bool inplace = false) : nn.Module<Tensor, Tensor>("LeakyReLU")
{
    public double NegativeSlope { get; } = negativeSlope;
    /// <summary>MONAI's <c>inplace</c> argument, accepted and recorded; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;

    public override Tensor forward(Tensor input)
    {
        using var slope = NegativeSlope.ToScalar();
        // Never in place: containers dispose a layer's input once they have its output, which would free the output too.
        // Same numbers as MONAI's inplace=True (autograd never needs the pre-activation of a leaky ReLU).
        var result = input.leaky_relu(slope);
        GC.KeepAlive(slope);
        return result;
    }
}

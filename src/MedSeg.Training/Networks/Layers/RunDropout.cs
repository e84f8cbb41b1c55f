using MedSeg.Training.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Layers;

/// <summary>
/// Element-wise dropout as torch's (inverted: kept elements scaled by 1/(1−p); identity in eval or when p = 0; no
/// parameters, so state_dict keys are unchanged), but drawing its mask from the run's generator (<see cref="RunRandom"/>):
/// TorchSharp 0.107's <c>nn.Dropout</c> / <c>functional.dropout</c> take no generator.
/// </summary>
public sealed class RunDropout : nn.Module<Tensor, Tensor>
{
    public RunDropout(double p) : base("Dropout")
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1].");
        P = p;
    }

    public double P { get; }

    public override Tensor forward(Tensor x)
    {
        if (!training || P == 0 || x.numel() == 0) return x.alias();
        using var scope = NewDisposeScope();
        var mask = RunRandom.KeepMask(x.shape, 1 - P, x);
        return (x * mask).MoveToOuterDisposeScope();
    }
}

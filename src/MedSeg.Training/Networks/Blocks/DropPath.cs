using TorchSharp;
using static TorchSharp.torch;

using MedSeg.Training.Networks.Layers;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// Stochastic depth (Huang et al., https://arxiv.org/abs/1603.09382) as MONAI's <c>DropPath</c>:
/// in training, zeroes a whole sample's residual branch with probability <c>p</c> and scales the kept
/// ones by <c>1/(1-p)</c>; identity in evaluation or when <c>p == 0</c>. No parameters. Draws from the run's generator
/// (<see cref="Randomness.RunRandom"/>) when the training loop has activated one.
/// </summary>
public sealed class DropPath : CompositeModule
{
    private readonly double _p;

    public DropPath(double p) : base(nameof(DropPath))
    {
        if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "drop path probability must be in [0, 1].");
        _p = p;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (!training || _p == 0) return x.alias();
        using var scope = NewDisposeScope();
        double keep = 1 - _p;
        var shape = new long[x.dim()];
        shape[0] = x.shape[0];
        for (int i = 1; i < shape.Length; i++) shape[i] = 1;
        var mask = Randomness.RunRandom.KeepMask(shape, keep, x); // the run's generator when one is active
        return (x * mask).MoveToOuterDisposeScope();
    }
}

using MedSeg.Training.Networks;
using MedSeg.Training.Networks.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using MedSeg.Training.Networks.Blocks;

namespace MedSeg.Training.Tests.Support;

/// <summary>
/// A small 3D conv net with dropout and stochastic depth, initialised without any random numbers (a fixed sine
/// pattern), so runs with it are reproducible whatever else draws from libtorch's global generator meanwhile.
/// </summary>
internal sealed class TinyDropoutNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d _c1, _c2, _head;
    private readonly RunDropout _drop;
    private readonly DropPath _path;

    public TinyDropoutNet(int classes, int width = 6, double p = 0.3) : base(nameof(TinyDropoutNet))
    {
        _c1 = nn.Conv3d(1, width, 3, padding: 1);
        _c2 = nn.Conv3d(width, width, 3, padding: 1);
        _head = nn.Conv3d(width, classes, 1);
        _drop = new RunDropout(p);
        _path = new DropPath(p);
        RegisterComponents();
        using var noGrad = no_grad();
        int k = 0;
        foreach (var (_, parameter) in named_parameters())
        {
            using var values = arange(parameter.numel(), ScalarType.Float32).mul(0.37).add(++k).sin().mul(0.3).reshape(parameter.shape);
            parameter.copy_(values);
        }
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = _drop.call(nn.functional.relu(_c1.call(x)));
        h = h + _path.call(nn.functional.relu(_c2.call(h)));
        return _head.call(h).MoveToOuterDisposeScope();
    }
}

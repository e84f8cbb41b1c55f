using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Support;

/// <summary>A very small 3D conv net (test-only stand-in until the real networks are merged).</summary>
internal sealed class TinySegNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d _c1, _c2, _head;

    public TinySegNet(int classes, int width = 8) : base(nameof(TinySegNet))
    {
        _c1 = nn.Conv3d(1, width, 3, padding: 1);
        _c2 = nn.Conv3d(width, width, 3, padding: 1);
        _head = nn.Conv3d(width, classes, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.relu(_c1.call(x));
        h = nn.functional.relu(_c2.call(h));
        return _head.call(h).MoveToOuterDisposeScope();
    }
}

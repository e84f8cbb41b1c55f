using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>MONAI <c>basic_unet.Down</c>: 2×2×2 max pooling (<c>max_pooling</c>) then <see cref="TwoConv"/> (<c>convs</c>).</summary>
public sealed class Down : CompositeModule
{
    private readonly MaxPool3d max_pooling;
    private readonly TwoConv convs;

    public Down(long inChannels, long outChannels, LayerSpec act, LayerSpec norm, bool bias, double dropout = 0.0)
        : base(nameof(Down))
    {
        max_pooling = nn.MaxPool3d(2);
        convs = new TwoConv(inChannels, outChannels, act, norm, bias, dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return convs.call(max_pooling.call(input)).MoveToOuterDisposeScope();
    }
}

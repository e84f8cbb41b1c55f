using MedSeg.Training.Networks.Layers;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>MONAI <c>basic_unet.TwoConv</c>: two 3×3×3 <see cref="Convolution"/>s (conv → norm → dropout → act), padding 1.</summary>
public sealed class TwoConv : CompositeModule
{
    private readonly Convolution conv_0;
    private readonly Convolution conv_1;

    public TwoConv(long inChannels, long outChannels, LayerSpec act, LayerSpec norm, bool bias, double dropout = 0.0)
        : base(nameof(TwoConv))
    {
        conv_0 = new Convolution(inChannels, outChannels, act: act, norm: norm, dropout: dropout, bias: bias, padding: 1);
        conv_1 = new Convolution(outChannels, outChannels, act: act, norm: norm, dropout: dropout, bias: bias, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return conv_1.call(conv_0.call(input)).MoveToOuterDisposeScope();
    }
}

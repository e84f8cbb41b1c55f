using MedSeg.Training.Networks.Layers;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>MONAI <c>dynunet_block.UnetOutBlock</c>: a 1×1×1 convolution with bias to the output channels (<c>conv.conv.*</c>).</summary>
public sealed class UnetOutBlock : CompositeModule
{
    private readonly Convolution conv;

    public UnetOutBlock(long inChannels, long outChannels, double? dropout = null) : base(nameof(UnetOutBlock))
    {
        conv = Convolution.GetConvLayer(inChannels, outChannels, 1, 1, dropout: dropout, bias: true, convOnly: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => conv.call(input);
}

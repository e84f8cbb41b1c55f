using MedSeg.Training.Networks.Layers;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>unetr_block.UnetrUpBlock</c>: transposed convolution (<c>transp_conv</c>, stride = upsample kernel,
/// no bias), concatenation with the skip features (upsampled first), then a res/basic block (<c>conv_block</c>)
/// from 2 × out to out channels.
/// </summary>
public sealed class UnetrUpBlock : CompositeModule2
{
    private readonly Convolution transp_conv;
    private readonly nn.Module<Tensor, Tensor> conv_block;

    public UnetrUpBlock(long inChannels, long outChannels, long kernelSize, long upsampleKernelSize, LayerSpec normName,
        bool resBlock = false) : base(nameof(UnetrUpBlock))
    {
        transp_conv = Convolution.GetConvLayer(inChannels, outChannels, upsampleKernelSize, upsampleKernelSize,
            convOnly: true, isTransposed: true);
        conv_block = resBlock
            ? new UnetResBlock(outChannels + outChannels, outChannels, kernelSize, 1, normName)
            : new UnetBasicBlock(outChannels + outChannels, outChannels, kernelSize, 1, normName);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, Tensor skip)
    {
        using var scope = NewDisposeScope();
        var upsampled = transp_conv.call(input);
        var output = conv_block.call(cat([upsampled, skip], dim: 1));
        return output.MoveToOuterDisposeScope();
    }
}

using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>unetr_block.UnetrPrUpBlock</c>: projection upsampling of transformer features. A transposed conv
/// (<c>transp_conv_init</c>) then <c>numLayer</c> further ×upsample stages in <c>blocks</c>: each a
/// (transposed conv, res/basic block) sequence when <c>convBlock</c>, else a transposed conv alone.
/// </summary>
public sealed class UnetrPrUpBlock : CompositeModule
{
    private readonly Convolution transp_conv_init;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> blocks;

    public UnetrPrUpBlock(long inChannels, long outChannels, int numLayer, long kernelSize, long stride,
        long upsampleKernelSize, LayerSpec normName, bool convBlock = false, bool resBlock = false)
        : base(nameof(UnetrPrUpBlock))
    {
        if (numLayer < 0) throw new ArgumentOutOfRangeException(nameof(numLayer), $"num_layer must be ≥ 0, got {numLayer}.");
        transp_conv_init = Up(inChannels, outChannels, upsampleKernelSize);
        blocks = new ModuleList<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < numLayer; i++)
        {
            if (!convBlock)
            {
                blocks.Add(Up(outChannels, outChannels, upsampleKernelSize));
                continue;
            }
            nn.Module<Tensor, Tensor> block = resBlock
                ? new UnetResBlock(outChannels, outChannels, kernelSize, stride, normName)
                : new UnetBasicBlock(outChannels, outChannels, kernelSize, stride, normName);
            blocks.Add(nn.Sequential(Up(outChannels, outChannels, upsampleKernelSize), block));
        }
        RegisterComponents();
    }

    private static Convolution Up(long inChannels, long outChannels, long kernel) =>
        Convolution.GetConvLayer(inChannels, outChannels, kernel, kernel, convOnly: true, isTransposed: true);

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = transp_conv_init.call(input);
        foreach (var block in blocks) x = block.call(x);
        return x.MoveToOuterDisposeScope();
    }
}

using MedSeg.Training.Networks.Layers;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>dynunet_block.UnetBasicBlock</c> (3D): conv → norm → act → conv → norm → act, convolutions without bias.
/// </summary>
public sealed class UnetBasicBlock : CompositeModule
{
    private readonly Convolution conv1;
    private readonly Convolution conv2;
    private readonly nn.Module<Tensor, Tensor> lrelu;
    private readonly nn.Module<Tensor, Tensor> norm1;
    private readonly nn.Module<Tensor, Tensor> norm2;

    public UnetBasicBlock(long inChannels, long outChannels, long kernelSize, long stride, LayerSpec normName,
        LayerSpec? actName = null, double? dropout = null) : base(nameof(UnetBasicBlock))
    {
        conv1 = Convolution.GetConvLayer(inChannels, outChannels, kernelSize, stride, dropout: dropout, convOnly: false);
        conv2 = Convolution.GetConvLayer(outChannels, outChannels, kernelSize, 1, dropout: dropout, convOnly: false);
        lrelu = Activations.Create(actName ?? UnetResBlock.DefaultAct);
        norm1 = Norms.Create(normName, outChannels);
        norm2 = Norms.Create(normName, outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = lrelu.call(norm1.call(conv1.call(input)));
        output = lrelu.call(norm2.call(conv2.call(output)));
        return output.MoveToOuterDisposeScope();
    }
}

using MedSeg.Training.Natives;
using MedSeg.Training.Networks.Layers;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>dynunet_block.UnetResBlock</c> (3D): conv → norm → act → conv → norm, plus a residual that goes through
/// a 1×1×1 conv + norm (<c>conv3</c>/<c>norm3</c>) when channels or stride change, then act.
/// Convolutions have no bias; the default act is LeakyReLU(0.01). Isensee et al., nnU-Net, arXiv:1809.10486.
/// </summary>
public sealed class UnetResBlock : CompositeModule
{
    /// <summary>MONAI's default activation for the DynUNet blocks.</summary>
    public static LayerSpec DefaultAct => new("leakyrelu", new Dictionary<string, object?> { ["inplace"] = true, ["negative_slope"] = 0.01 });

    private readonly Convolution conv1;
    private readonly Convolution conv2;
    private readonly nn.Module<Tensor, Tensor> lrelu;
    private readonly nn.Module<Tensor, Tensor> norm1;
    private readonly nn.Module<Tensor, Tensor> norm2;
    private readonly Convolution? conv3;
    private readonly nn.Module<Tensor, Tensor>? norm3;

    public UnetResBlock(long inChannels, long outChannels, long kernelSize, long stride, LayerSpec normName,
        LayerSpec? actName = null, double? dropout = null) : base(nameof(UnetResBlock))
    {
        conv1 = Convolution.GetConvLayer(inChannels, outChannels, kernelSize, stride, dropout: dropout, convOnly: false);
        conv2 = Convolution.GetConvLayer(outChannels, outChannels, kernelSize, 1, dropout: dropout, convOnly: false);
        lrelu = Activations.Create(actName ?? DefaultAct);
        norm1 = Norms.Create(normName, outChannels);
        norm2 = Norms.Create(normName, outChannels);
        if (inChannels != outChannels || stride != 1)
        {
            conv3 = Convolution.GetConvLayer(inChannels, outChannels, 1, stride, dropout: dropout, convOnly: false);
            norm3 = Norms.Create(normName, outChannels);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = lrelu.call(norm1.call(conv1.call(input)));
        output = norm2.call(conv2.call(output));
        var residual = input;
        if (conv3 is not null) residual = conv3.call(residual);
        if (norm3 is not null) residual = norm3.call(residual);
        output = lrelu.call(output.Plus(residual));
        return output.MoveToOuterDisposeScope();
    }
}

using MedSeg.Training.Networks.Layers;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>unetr_block.UnetrBasicBlock</c>: a <see cref="UnetResBlock"/> (res_block) or <see cref="UnetBasicBlock"/>
/// under the key <c>layer</c>. Hatamizadeh et al., UNETR, arXiv:2103.10504.
/// </summary>
public sealed class UnetrBasicBlock : CompositeModule
{
    private readonly nn.Module<Tensor, Tensor> layer;

    public UnetrBasicBlock(long inChannels, long outChannels, long kernelSize, long stride, LayerSpec normName, bool resBlock = false)
        : base(nameof(UnetrBasicBlock))
    {
        layer = resBlock
            ? new UnetResBlock(inChannels, outChannels, kernelSize, stride, normName)
            : new UnetBasicBlock(inChannels, outChannels, kernelSize, stride, normName);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => layer.call(input);
}

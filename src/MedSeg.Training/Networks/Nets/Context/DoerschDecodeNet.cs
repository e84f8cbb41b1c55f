using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets.Context;

/// <summary>
/// The classifier of the 3D Doersch baseline (the authors' <c>DoerschDecodeNet</c>, parameter names kept): two 192-d
/// descriptors [B, 192, 1, 1, 1] → logits of the 6 neighbour positions [B, 6, 1, 1, 1] (class = axis·2 + sign).
/// </summary>
public sealed class DoerschDecodeNet : CompositeModule2
{
    /// <summary>Neighbour classes: two directions along each of three axes.</summary>
    public const int Classes = 6;

    private readonly Conv3d layer1, layer2, layer3, layer_out;
    private readonly GroupNorm norm1, norm2, norm3;
    private readonly MedSeg.Training.Networks.Layers.LeakyRelu acti1, acti2, acti3;

    public DoerschDecodeNet() : base(nameof(DoerschDecodeNet))
    {
        layer1 = nn.Conv3d(2 * DoerschNet.DescriptorLength, 64, 1, bias: false);
        norm1 = ContextLayers.GroupNorm(4, 64);
        layer2 = nn.Conv3d(64, 64, 1, bias: false);
        norm2 = ContextLayers.GroupNorm(4, 64);
        layer3 = nn.Conv3d(64, 32, 1, bias: false);
        norm3 = ContextLayers.GroupNorm(4, 32);
        layer_out = nn.Conv3d(32, Classes, 1);
        acti1 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti2 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti3 = new MedSeg.Training.Networks.Layers.LeakyRelu();
        RegisterComponents();
    }

    public override Tensor forward(Tensor feat1, Tensor feat2)
    {
        using var scope = NewDisposeScope();
        var x = acti1.call(norm1.call(layer1.call(cat([feat1, feat2], 1))));
        x = acti2.call(norm2.call(layer2.call(x)));
        x = acti3.call(norm3.call(layer3.call(x)));
        return layer_out.call(x).MoveToOuterDisposeScope();
    }
}

using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets.Context;

/// <summary>
/// The REG2D head of the 2.5D context task (the authors' <c>OffNet</c>, parameter names kept): two 64-d descriptors
/// [B, 64, 1, 1] → the two in-plane offsets [B, 2, 1, 1]. 1×1 convolutions with GroupNorm(4) and LeakyReLU.
/// </summary>
public sealed class OffNet : CompositeModule2
{
    private readonly Conv2d layer1, layer2, layer3, layer_out;
    private readonly GroupNorm norm1, norm2, norm3;
    private readonly MedSeg.Training.Networks.Layers.LeakyRelu acti1, acti2, acti3;

    public OffNet() : base(nameof(OffNet))
    {
        layer1 = nn.Conv2d(128, 128, 1, bias: false);
        norm1 = ContextLayers.GroupNorm(4, 128);
        layer2 = nn.Conv2d(128, 64, 1, bias: false);
        norm2 = ContextLayers.GroupNorm(4, 64);
        layer3 = nn.Conv2d(64, 32, 1, bias: false);
        norm3 = ContextLayers.GroupNorm(4, 32);
        layer_out = nn.Conv2d(32, 2, 1);
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

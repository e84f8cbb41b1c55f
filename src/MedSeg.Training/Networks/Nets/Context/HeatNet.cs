using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets.Context;

/// <summary>
/// The HEATMAP head of the 2.5D context task (the authors' <c>HeatNet</c>, parameter names kept): two 64-d descriptors
/// [B, 64, 1, 1] → a 19×19 heat map [B, 1, 19, 19] of where the second patch lies in plane. 1×1 convolutions on the
/// concatenation, then transposed convolutions, bilinear resizes (align_corners) and a final 3×3 convolution.
/// </summary>
public sealed class HeatNet : CompositeModule2
{
    /// <summary>Side of the predicted heat map.</summary>
    public const int MapWidth = 19;

    private readonly Conv2d layer1, layer2, layer2_a, layer3_1, layer4_1, layer5_1;
    private readonly ConvTranspose2d layer3_0, layer4_0, layer5_0;
    private readonly GroupNorm norm1, norm2, norm2_a, norm3_0, norm4_0, norm5_0;
    private readonly RunningBatchNorm2d norm3_1, norm4_1;
    private readonly MedSeg.Training.Networks.Layers.LeakyRelu acti1, acti2, acti2_a, acti3_0, acti3_1, acti4_0, acti4_1, acti5_0;

    public HeatNet() : base(nameof(HeatNet))
    {
        layer1 = nn.Conv2d(128, 64, 1, bias: false);
        norm1 = ContextLayers.GroupNorm(4, 64);
        layer2 = nn.Conv2d(64, 32, 1, bias: false);
        norm2 = ContextLayers.GroupNorm(4, 32);
        layer2_a = nn.Conv2d(32, 16, 1, bias: false);
        norm2_a = ContextLayers.GroupNorm(4, 16);
        layer3_0 = nn.ConvTranspose2d(16, 16, 5, bias: false);
        norm3_0 = ContextLayers.GroupNorm(4, 16);
        layer3_1 = nn.Conv2d(16, 16, 3, bias: false);
        norm3_1 = new RunningBatchNorm2d(16);
        layer4_0 = nn.ConvTranspose2d(16, 16, 5, bias: false);
        norm4_0 = ContextLayers.GroupNorm(4, 16);
        layer4_1 = nn.Conv2d(16, 8, 3, bias: false);
        norm4_1 = new RunningBatchNorm2d(8);
        layer5_0 = nn.ConvTranspose2d(8, 4, 5, bias: false);
        norm5_0 = ContextLayers.GroupNorm(4, 4);
        layer5_1 = nn.Conv2d(4, 1, 3, padding: 1);
        acti1 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti2 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti2_a = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti3_0 = new MedSeg.Training.Networks.Layers.LeakyRelu();
        acti3_1 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti4_0 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti4_1 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti5_0 = new MedSeg.Training.Networks.Layers.LeakyRelu();
        RegisterComponents();
    }

    public override Tensor forward(Tensor feat1, Tensor feat2)
    {
        using var scope = NewDisposeScope();
        var x = acti1.call(norm1.call(layer1.call(cat([feat1, feat2], 1))));
        x = acti2.call(norm2.call(layer2.call(x)));
        x = acti2_a.call(norm2_a.call(layer2_a.call(x)));
        x = acti3_0.call(norm3_0.call(layer3_0.call(x)));
        x = acti3_1.call(norm3_1.call(layer3_1.call(x)));
        x = nn.functional.interpolate(x, [11, 11], mode: InterpolationMode.Bilinear, align_corners: true);
        x = acti4_0.call(norm4_0.call(layer4_0.call(x)));
        x = nn.functional.avg_pool2d(acti4_1.call(norm4_1.call(layer4_1.call(x))), 3, stride: 1, padding: 1);
        x = acti5_0.call(norm5_0.call(layer5_0.call(x)));
        x = nn.functional.interpolate(x, [MapWidth, MapWidth], mode: InterpolationMode.Bilinear, align_corners: true);
        return layer5_1.call(x).MoveToOuterDisposeScope();
    }
}

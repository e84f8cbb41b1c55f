using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets.Context;

/// <summary>
/// The descriptor network of the 3D Doersch baseline (the authors' <c>DoerschNet</c>, parameter names kept): a 25³ cube
/// [B, 1, 25, 25, 25] → a 192-d descriptor [B, 192, 1, 1, 1]. Seven unpadded 3D convolutions (three dilated by 2), each
/// with GroupNorm(4) and LeakyReLU.
/// </summary>
public sealed class DoerschNet : CompositeModule
{
    /// <summary>Side of the input cube.</summary>
    public const int CubeWidth = 25;

    /// <summary>Length of the descriptor.</summary>
    public const int DescriptorLength = 192;

    private readonly Conv3d layer1, layer2, layer3, layer4, layer5, layer6, layer7;
    private readonly GroupNorm norm1, norm2, norm3, norm4, norm5, norm6, norm7;
    private readonly MedSeg.Training.Networks.Layers.LeakyRelu acti1, acti2, acti3, acti4, acti5, acti6, acti7;

    public DoerschNet() : base(nameof(DoerschNet))
    {
        layer1 = nn.Conv3d(1, 16, 5, bias: false);
        norm1 = ContextLayers.GroupNorm(4, 16);
        layer2 = nn.Conv3d(16, 32, 3, dilation: 2, bias: false);
        norm2 = ContextLayers.GroupNorm(4, 32);
        layer3 = nn.Conv3d(32, 32, 3, dilation: 2, bias: false);
        norm3 = ContextLayers.GroupNorm(4, 32);
        layer4 = nn.Conv3d(32, 32, 3, dilation: 2, bias: false);
        norm4 = ContextLayers.GroupNorm(4, 32);
        layer5 = nn.Conv3d(32, 32, 3, bias: false);
        norm5 = ContextLayers.GroupNorm(4, 32);
        layer6 = nn.Conv3d(32, 32, 5, bias: false);
        norm6 = ContextLayers.GroupNorm(4, 32);
        layer7 = nn.Conv3d(32, DescriptorLength, 3, bias: false);
        norm7 = ContextLayers.GroupNorm(4, DescriptorLength);
        acti1 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti2 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti3 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti4 = new MedSeg.Training.Networks.Layers.LeakyRelu();
        acti5 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti6 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti7 = new MedSeg.Training.Networks.Layers.LeakyRelu();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = acti1.call(norm1.call(layer1.call(x)));
        x = acti2.call(norm2.call(layer2.call(x)));
        x = acti3.call(norm3.call(layer3.call(x)));
        x = acti4.call(norm4.call(layer4.call(x)));
        x = acti5.call(norm5.call(layer5.call(x)));
        x = acti6.call(norm6.call(layer6.call(x)));
        x = acti7.call(norm7.call(layer7.call(x)));
        return x.MoveToOuterDisposeScope();
    }
}

using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets.Context;

/// <summary>
/// The D2D-CNN of Blendowski, Nickisch and Heinrich (MICCAI 2019; the authors' notebook class <c>ConvNet</c>, parameter
/// names kept): three neighbouring planes of 42×42 samples as channels → a 64-d descriptor [B, 64, 1, 1].
/// Six unpadded 3×3 convolutions (max-pooling after the first two), each with GroupNorm(4) and LeakyReLU(0.01).
/// </summary>
public sealed class ContextConvNet : CompositeModule
{
    /// <summary>The side of the square input planes.</summary>
    public const int PatchWidth = 42;

    /// <summary>Neighbouring planes per patch (the input channels).</summary>
    public const int Planes = 3;

    /// <summary>Length of the descriptor.</summary>
    public const int DescriptorLength = 64;

    private readonly Conv2d layer1, layer2, layer3, layer4, layer5, layer6;
    private readonly GroupNorm norm1, norm2, norm3, norm4, norm5, norm6;
    private readonly MaxPool2d mp1, mp2;
    private readonly MedSeg.Training.Networks.Layers.LeakyRelu acti1, acti2, acti3, acti4, acti5, acti6;

    public ContextConvNet() : base(nameof(ContextConvNet))
    {
        layer1 = nn.Conv2d(3, 32, 3, bias: false);
        mp1 = nn.MaxPool2d(2, 2);
        norm1 = ContextLayers.GroupNorm(4, 32);
        layer2 = nn.Conv2d(32, 32, 3, bias: false);
        mp2 = nn.MaxPool2d(2, 2);
        norm2 = ContextLayers.GroupNorm(4, 32);
        layer3 = nn.Conv2d(32, 64, 3, bias: false);
        norm3 = ContextLayers.GroupNorm(4, 64);
        layer4 = nn.Conv2d(64, 64, 3, bias: false);
        norm4 = ContextLayers.GroupNorm(4, 64);
        layer5 = nn.Conv2d(64, 64, 3, bias: false);
        norm5 = ContextLayers.GroupNorm(4, 64);
        layer6 = nn.Conv2d(64, 64, 3, bias: false);
        norm6 = ContextLayers.GroupNorm(4, 64);
        acti1 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti2 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti3 = new MedSeg.Training.Networks.Layers.LeakyRelu();
        acti4 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti5 = new MedSeg.Training.Networks.Layers.LeakyRelu(); acti6 = new MedSeg.Training.Networks.Layers.LeakyRelu();
        RegisterComponents();
    }

    public override Tensor forward(Tensor patches)
    {
        using var scope = NewDisposeScope();
        var x = acti1.call(norm1.call(mp1.call(layer1.call(patches))));
        x = acti2.call(norm2.call(mp2.call(layer2.call(x))));
        x = acti3.call(norm3.call(layer3.call(x)));
        x = acti4.call(norm4.call(layer4.call(x)));
        x = acti5.call(norm5.call(layer5.call(x)));
        x = acti6.call(norm6.call(layer6.call(x)));
        return x.MoveToOuterDisposeScope();
    }
}

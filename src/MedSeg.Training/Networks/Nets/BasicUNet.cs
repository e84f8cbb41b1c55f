using MedSeg.Training.Networks.Blocks;
using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets;

/// <summary>
/// MONAI 1.5 <c>nets.BasicUNet</c> (3D): a five-level U-Net with two conv–norm–act layers per level, max-pool
/// downsampling, transposed-conv upsampling and a 1×1×1 output conv; state-dict keys as MONAI
/// (<c>conv_0.conv_0.conv.weight</c>, <c>down_1.convs.conv_1.adn.N.bias</c>, <c>upcat_4.upsample.deconv.weight</c>,
/// <c>final_conv.weight</c>, ...). Falk et al., "U-Net – Deep Learning for Cell Counting, Detection, and
/// Morphometry", Nature Methods 16, 67–70 (2019).
/// </summary>
/// <remarks>Spatial sizes divisible by 16 keep every pooling even; other sizes are padded in the decoder as in MONAI.</remarks>
public sealed class BasicUNet : CompositeModule
{
    /// <summary>MONAI default features: five encoder widths and the width after the last upsampling.</summary>
    public static readonly long[] DefaultFeatures = [32, 32, 64, 128, 256, 32];

    /// <summary>MONAI default activation: LeakyReLU(0.1, inplace).</summary>
    public static LayerSpec DefaultAct => new("LeakyReLU", new Dictionary<string, object?> { ["negative_slope"] = 0.1, ["inplace"] = true });

    /// <summary>MONAI default norm: instance norm with affine parameters.</summary>
    public static LayerSpec DefaultNorm => new("instance", new Dictionary<string, object?> { ["affine"] = true });

    private readonly TwoConv conv_0;
    private readonly Down down_1;
    private readonly Down down_2;
    private readonly Down down_3;
    private readonly Down down_4;
    private readonly UpCat upcat_4;
    private readonly UpCat upcat_3;
    private readonly UpCat upcat_2;
    private readonly UpCat upcat_1;
    private readonly Conv3d final_conv;

    /// <param name="spatialDims">Only 3 is supported. MONAI default 3.</param>
    /// <param name="inChannels">Input channels. Default 1.</param>
    /// <param name="outChannels">Output channels. Default 2.</param>
    /// <param name="features">Six widths (or one, repeated). Default (32, 32, 64, 128, 256, 32).</param>
    /// <param name="act">Activation. Default ("LeakyReLU", {"negative_slope": 0.1, "inplace": True}).</param>
    /// <param name="norm">Normalisation. Default ("instance", {"affine": True}).</param>
    /// <param name="bias">Bias in the convolution blocks. Default true.</param>
    /// <param name="dropout">Dropout probability in [0, 1]. Default 0.</param>
    /// <param name="upsample">Upsampling mode; only "deconv" (the default) is implemented.</param>
    public BasicUNet(int spatialDims = 3, long inChannels = 1, long outChannels = 2, IReadOnlyList<long>? features = null,
        LayerSpec? act = null, LayerSpec? norm = null, bool bias = true, double dropout = 0.0, string upsample = "deconv")
        : base(nameof(BasicUNet))
    {
        if (spatialDims != 3)
            throw new NotSupportedException($"BasicUNet here supports spatial_dims=3 only, got {spatialDims}.");
        if (inChannels <= 0 || outChannels <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"in_channels and out_channels must be positive, got {inChannels}, {outChannels}.");
        if (dropout is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(dropout), $"dropout must be in [0, 1], got {dropout}.");
        var fea = Tuples.Repeat(features ?? DefaultFeatures, 6, "features");
        if (fea.Any(f => f <= 0))
            throw new ArgumentException($"features must be positive, got ({string.Join(", ", fea)}).");
        if (!string.Equals(upsample, "deconv", StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException($"BasicUNet upsample '{upsample}' is not implemented; only 'deconv' is.");
        act ??= DefaultAct;
        norm ??= DefaultNorm;

        conv_0 = new TwoConv(inChannels, fea[0], act, norm, bias, dropout);
        down_1 = new Down(fea[0], fea[1], act, norm, bias, dropout);
        down_2 = new Down(fea[1], fea[2], act, norm, bias, dropout);
        down_3 = new Down(fea[2], fea[3], act, norm, bias, dropout);
        down_4 = new Down(fea[3], fea[4], act, norm, bias, dropout);
        upcat_4 = new UpCat(fea[4], fea[3], fea[3], act, norm, bias, dropout, upsample);
        upcat_3 = new UpCat(fea[3], fea[2], fea[2], act, norm, bias, dropout, upsample);
        upcat_2 = new UpCat(fea[2], fea[1], fea[1], act, norm, bias, dropout, upsample);
        upcat_1 = new UpCat(fea[1], fea[0], fea[5], act, norm, bias, dropout, upsample, halves: false);
        final_conv = nn.Conv3d(fea[5], outChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 5)
            throw new ArgumentException($"BasicUNet expects (batch, channels, d, h, w), got ({string.Join(", ", input.shape)}).");
        using var scope = NewDisposeScope();
        var x0 = conv_0.call(input);
        var x1 = down_1.call(x0);
        var x2 = down_2.call(x1);
        var x3 = down_3.call(x2);
        var x4 = down_4.call(x3);
        var u4 = upcat_4.call(x4, x3);
        var u3 = upcat_3.call(u4, x2);
        var u2 = upcat_2.call(u3, x1);
        var u1 = upcat_1.call(u2, x0);
        // call(), not forward(): lets a forward hook on final_conv read the penultimate features.
        return final_conv.call(u1).MoveToOuterDisposeScope();
    }
}

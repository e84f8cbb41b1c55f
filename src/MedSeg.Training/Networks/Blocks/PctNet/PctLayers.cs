using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks.PctNet;

/// <summary>Shared pieces of the MIS-FM convolution blocks: "2D" = kernel (1, 3, 3) padding (0, 1, 1), "3D" = 3×3×3.</summary>
internal static class PctLayers
{
    public static Conv3d Conv(long inChannels, long outChannels, int dim)
    {
        if (dim is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(dim), dim, "PCT-Net conv dim must be 2 or 3.");
        return dim == 2
            ? nn.Conv3d(inChannels, outChannels, kernel_size: (1, 3, 3), padding: (0, 1, 1))
            : nn.Conv3d(inChannels, outChannels, kernel_size: 3, padding: 1);
    }

    /// <summary>BN → PReLU → conv (pre-activation), as a Sequential with keys 0, 1, 2.</summary>
    public static Sequential PreActConv(long inChannels, long outChannels, nn.Module<Tensor, Tensor> conv) =>
        nn.Sequential(new PctBatchNorm3d(inChannels), nn.PReLU(1, 0.25), conv);
}

/// <summary>MIS-FM <c>ConvBlock</c>: BN → PReLU → Conv → BN → PReLU → Dropout → Conv, no residual (keys conv_conv.0…6).</summary>
public sealed class PctConvBlock : CompositeModule
{
    private readonly Sequential conv_conv;

    public PctConvBlock(long inChannels, long outChannels, int dim, double dropout) : base("ConvBlock")
    {
        conv_conv = nn.Sequential(
            new PctBatchNorm3d(inChannels), nn.PReLU(1, 0.25), PctLayers.Conv(inChannels, outChannels, dim),
            new PctBatchNorm3d(outChannels), nn.PReLU(1, 0.25), new RunDropout(dropout), PctLayers.Conv(outChannels, outChannels, dim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv_conv.call(x);
}

/// <summary>MIS-FM <c>DownSample</c>: MaxPool (2 or (1, 2, 2)) → BN → PReLU → Conv (keys conv.0…2).</summary>
public sealed class PctDownSample : CompositeModule
{
    private readonly MaxPool3d pool;
    private readonly Sequential conv;

    public PctDownSample(long inChannels, long outChannels, int downDim, int convDim) : base("DownSample")
    {
        pool = downDim == 2 ? nn.MaxPool3d(kernel_size: (1, 2, 2)) : nn.MaxPool3d(kernel_size: 2);
        conv = PctLayers.PreActConv(inChannels, outChannels, PctLayers.Conv(inChannels, outChannels, convDim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var pooled = pool.call(x);
        return conv.call(pooled);
    }
}

/// <summary>MIS-FM <c>ConvLayer</c> used as an output head: BN → PReLU → 1×1×1 conv (keys conv.0…2).</summary>
public sealed class PctConvLayer : CompositeModule
{
    private readonly Sequential conv;

    public PctConvLayer(long inChannels, long outChannels) : base("ConvLayer")
    {
        conv = PctLayers.PreActConv(inChannels, outChannels, nn.Conv3d(inChannels, outChannels, kernel_size: 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv.call(x);
}

/// <summary>
/// MIS-FM <c>UpCatBlock</c>: BN → PReLU → ConvTranspose (kernel = stride = 2 or (1, 2, 2)) on the coarse features,
/// concat [skip, up], BN → PReLU → Conv (keys up.0…2, conv.0…2).
/// </summary>
public sealed class PctUpCatBlock : CompositeModule2
{
    private readonly Sequential up;
    private readonly Sequential conv;

    public PctUpCatBlock(long chnsLow, long chnsHigh, int upDim, int convDim) : base("UpCatBlock")
    {
        var transpose = upDim == 2
            ? nn.ConvTranspose3d(chnsHigh, chnsLow, kernel_size: (1, 2, 2), stride: (1, 2, 2))
            : nn.ConvTranspose3d(chnsHigh, chnsLow, kernel_size: 2, stride: 2);
        up = PctLayers.PreActConv(chnsHigh, chnsLow, transpose);
        conv = PctLayers.PreActConv(chnsLow * 2, chnsLow, PctLayers.Conv(chnsLow * 2, chnsLow, convDim));
        RegisterComponents();
    }

    /// <param name="low">the finer (skip) features.</param>
    /// <param name="high">the coarser features to upsample.</param>
    public override Tensor forward(Tensor low, Tensor high)
    {
        using var scope = NewDisposeScope();
        var y = cat([low, up.call(high)], 1);
        return conv.call(y).MoveToOuterDisposeScope();
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks;

// UNETR building blocks with MONAI's module layout (monai/networks/blocks/unetr_block.py,
// dynunet_block.py), used by SwinUNETR's encoder/decoder and the v2 stage convolutions.
// Written here because the shared UNETR blocks were not available yet; the coordinator may
// replace these with the `weights` branch's equivalents (same state-dict keys).

/// <summary>Builds convolutions and norms for 2 or 3 spatial dimensions.</summary>
internal static class ConvFactory
{
    public static nn.Module<Tensor, Tensor> Conv(int spatialDims, long inCh, long outCh, long kernel, long stride, bool bias)
    {
        // MONAI get_padding: (k - s + 1) / 2 for odd kernels.
        long padding = (kernel - stride + 1) / 2;
        return spatialDims == 3
            ? nn.Conv3d(inCh, outCh, kernel, stride: stride, padding: padding, bias: bias)
            : nn.Conv2d(inCh, outCh, kernel, stride: stride, padding: padding, bias: bias);
    }

    public static nn.Module<Tensor, Tensor> TransposedConv(int spatialDims, long inCh, long outCh, long kernel, long stride)
        => spatialDims == 3
            ? nn.ConvTranspose3d(inCh, outCh, kernel, stride: stride, bias: false)
            : nn.ConvTranspose2d(inCh, outCh, kernel, stride: stride, bias: false);

    /// <summary>
    /// MONAI norm names: "instance" (InstanceNorm, no affine parameters, no running stats — no
    /// state-dict entries) and "batch" (BatchNorm with weight, bias and running statistics).
    /// </summary>
    public static nn.Module<Tensor, Tensor> Norm(string name, int spatialDims, long channels)
    {
        return name.ToLowerInvariant() switch
        {
            "instance" => spatialDims == 3 ? nn.InstanceNorm3d(channels) : nn.InstanceNorm2d(channels),
            "batch" => spatialDims == 3 ? nn.BatchNorm3d(channels) : nn.BatchNorm2d(channels),
            _ => throw new ArgumentException($"norm_name '{name}' is not supported (use \"instance\" or \"batch\").", "norm_name"),
        };
    }

    public static void ValidateNormName(string name) => _ = name.ToLowerInvariant() switch
    {
        "instance" or "batch" => 0,
        _ => throw new ArgumentException($"norm_name '{name}' is not supported (use \"instance\" or \"batch\").", "norm_name"),
    };
}

/// <summary>
/// MONAI <c>Convolution</c> with only a convolution inside: exists so that state-dict keys read
/// <c>conv1.conv.weight</c> as in MONAI.
/// </summary>
public sealed class ConvolutionLayer : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv;

    public ConvolutionLayer(nn.Module<Tensor, Tensor> convolution) : base("Convolution")
    {
        conv = convolution;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv.forward(x);

    protected override void Dispose(bool disposing)
    {
        if (disposing) conv.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// MONAI <c>UnetResBlock</c>: conv(k, stride) → norm → LeakyReLU(0.01) → conv(k) → norm, plus a
/// residual that goes through a 1×1 conv + norm when channels or stride change; LeakyReLU at the end.
/// Convolutions have no bias. Keys: <c>conv1.conv.weight</c>, <c>conv2.conv.weight</c>,
/// <c>conv3.conv.weight</c> (only when projecting), plus norm parameters for "batch".
/// </summary>
public sealed class UnetResBlock : nn.Module<Tensor, Tensor>
{
    private readonly ConvolutionLayer conv1;
    private readonly ConvolutionLayer conv2;
    private readonly nn.Module<Tensor, Tensor> norm1;
    private readonly nn.Module<Tensor, Tensor> norm2;
    private readonly ConvolutionLayer? conv3;
    private readonly nn.Module<Tensor, Tensor>? norm3;

    public UnetResBlock(int spatialDims, long inChannels, long outChannels, long kernelSize, long stride, string normName)
        : base(nameof(UnetResBlock))
    {
        conv1 = new ConvolutionLayer(ConvFactory.Conv(spatialDims, inChannels, outChannels, kernelSize, stride, bias: false));
        conv2 = new ConvolutionLayer(ConvFactory.Conv(spatialDims, outChannels, outChannels, kernelSize, 1, bias: false));
        norm1 = ConvFactory.Norm(normName, spatialDims, outChannels);
        norm2 = ConvFactory.Norm(normName, spatialDims, outChannels);
        if (inChannels != outChannels || stride != 1)
        {
            conv3 = new ConvolutionLayer(ConvFactory.Conv(spatialDims, inChannels, outChannels, 1, stride, bias: false));
            norm3 = ConvFactory.Norm(normName, spatialDims, outChannels);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.leaky_relu(norm1.forward(conv1.forward(x)), 0.01);
        h = norm2.forward(conv2.forward(h));
        var residual = conv3 is null ? x : norm3!.forward(conv3.forward(x));
        return nn.functional.leaky_relu(h + residual, 0.01).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { conv1.Dispose(); conv2.Dispose(); norm1.Dispose(); norm2.Dispose(); conv3?.Dispose(); norm3?.Dispose(); }
        base.Dispose(disposing);
    }
}

/// <summary>MONAI <c>UnetrBasicBlock</c> with <c>res_block=True</c>: a <see cref="UnetResBlock"/> under key <c>layer</c>.</summary>
public sealed class UnetrBasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly UnetResBlock layer;

    public UnetrBasicBlock(int spatialDims, long inChannels, long outChannels, long kernelSize, long stride, string normName)
        : base(nameof(UnetrBasicBlock))
    {
        layer = new UnetResBlock(spatialDims, inChannels, outChannels, kernelSize, stride, normName);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => layer.forward(x);

    protected override void Dispose(bool disposing)
    {
        if (disposing) layer.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// MONAI <c>UnetrUpBlock</c> with <c>res_block=True</c>: transposed conv (kernel = stride = upsample
/// kernel, no bias) → concatenate the skip on channels → <see cref="UnetResBlock"/>(2·out → out).
/// Keys: <c>transp_conv.conv.weight</c>, <c>conv_block.*</c>.
/// </summary>
public sealed class UnetrUpBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ConvolutionLayer transp_conv;
    private readonly UnetResBlock conv_block;

    public UnetrUpBlock(int spatialDims, long inChannels, long outChannels, long kernelSize, long upsampleKernelSize, string normName)
        : base(nameof(UnetrUpBlock))
    {
        transp_conv = new ConvolutionLayer(ConvFactory.TransposedConv(spatialDims, inChannels, outChannels, upsampleKernelSize, upsampleKernelSize));
        conv_block = new UnetResBlock(spatialDims, 2 * outChannels, outChannels, kernelSize, 1, normName);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor skip)
    {
        using var scope = NewDisposeScope();
        var up = transp_conv.forward(x);
        return conv_block.forward(cat(new[] { up, skip }, 1)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { transp_conv.Dispose(); conv_block.Dispose(); }
        base.Dispose(disposing);
    }
}

/// <summary>MONAI <c>UnetOutBlock</c>: 1×1 convolution with bias. Keys: <c>conv.conv.{weight,bias}</c>.</summary>
public sealed class UnetOutBlock : nn.Module<Tensor, Tensor>
{
    private readonly ConvolutionLayer conv;

    public UnetOutBlock(int spatialDims, long inChannels, long outChannels) : base(nameof(UnetOutBlock))
    {
        conv = new ConvolutionLayer(ConvFactory.Conv(spatialDims, inChannels, outChannels, 1, 1, bias: true));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv.forward(x);

    protected override void Dispose(bool disposing)
    {
        if (disposing) conv.Dispose();
        base.Dispose(disposing);
    }
}

using MedSeg.Training.Networks.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>monai.networks.blocks.Convolution</c> (3D): a convolution (or transposed convolution) followed by an
/// optional <c>adn</c> sequence of norm (N), dropout (D) and activation (A), in that order ("NDA").
/// State-dict keys: <c>conv.weight</c>, <c>conv.bias</c>, <c>adn.N.weight</c>, ...; <c>adn</c> exists only when
/// not <paramref name="convOnly"/> and at least one of act / norm / dropout is given, as in MONAI.
/// </summary>
public sealed class Convolution : CompositeModule
{
    private readonly nn.Module<Tensor, Tensor> conv;
    private readonly Sequential? adn;

    /// <param name="padding">Defaults to MONAI's same padding, (kernel - 1) / 2.</param>
    /// <param name="outputPadding">Transposed only; defaults to strides - 1 as in MONAI.</param>
    /// <param name="dropout">Dropout probability; null adds no dropout layer, 0.0 adds one with p = 0 (MONAI does too).</param>
    public Convolution(long inChannels, long outChannels, long kernelSize = 3, long strides = 1,
        LayerSpec? act = null, LayerSpec? norm = null, double? dropout = null, bool bias = true,
        bool convOnly = false, bool isTransposed = false, long? padding = null, long? outputPadding = null)
        : base(nameof(Convolution))
    {
        if (inChannels <= 0 || outChannels <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"Channels must be positive, got {inChannels} → {outChannels}.");
        if (kernelSize <= 0 || strides <= 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), $"Kernel size and stride must be positive, got {kernelSize}, {strides}.");
        if (dropout is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(dropout), $"Dropout must be in [0, 1], got {dropout}.");

        long pad = padding ?? (kernelSize - 1) / 2;
        conv = isTransposed
            ? nn.ConvTranspose3d(inChannels, outChannels, kernelSize, stride: strides, padding: pad,
                output_padding: outputPadding ?? strides - 1, bias: bias)
            : nn.Conv3d(inChannels, outChannels, kernelSize, stride: strides, padding: pad, bias: bias);

        if (!convOnly && (act is not null || norm is not null || dropout is not null))
        {
            var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
            if (norm is not null) layers.Add(("N", Norms.Create(norm, outChannels)));
            if (dropout is not null) layers.Add(("D", new Layers.RunDropout(dropout.Value)));
            if (act is not null) layers.Add(("A", Activations.Create(act)));
            adn = nn.Sequential(layers);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var output = conv.call(input);
        if (adn is null) return output;
        using var scope = NewDisposeScope();
        return adn.call(output).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// MONAI <c>dynunet_block.get_conv_layer</c>: padding (k - s + 1) / 2 and, for transposed convolutions,
    /// output padding 2p + s - k, so stride-s layers scale sizes by exactly s. Bias is off by default there.
    /// </summary>
    public static Convolution GetConvLayer(long inChannels, long outChannels, long kernelSize = 3, long stride = 1,
        LayerSpec? act = null, LayerSpec? norm = null, double? dropout = null, bool bias = false,
        bool convOnly = true, bool isTransposed = false)
    {
        long padding = (kernelSize - stride + 1) / 2;
        if (kernelSize - stride + 1 < 0)
            throw new ArgumentException($"Kernel size {kernelSize} with stride {stride} gives negative padding.");
        long? outputPadding = null;
        if (isTransposed)
        {
            outputPadding = 2 * padding + stride - kernelSize;
            if (outputPadding < 0)
                throw new ArgumentException($"Kernel size {kernelSize} with stride {stride} gives negative output padding.");
        }
        return new Convolution(inChannels, outChannels, kernelSize, stride, act, norm, dropout, bias, convOnly,
            isTransposed, padding, outputPadding);
    }
}

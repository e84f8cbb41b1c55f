using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>blocks.UpSample</c> in "deconv" mode: a transposed convolution with kernel = stride = scale factor
/// and bias (<c>deconv.weight</c>, <c>deconv.bias</c>). The "nontrainable" and "pixelshuffle" modes are not implemented.
/// </summary>
public sealed class UpSample : CompositeModule
{
    private readonly ConvTranspose3d deconv;

    public UpSample(long inChannels, long outChannels, long scaleFactor = 2, string mode = "deconv", bool bias = true)
        : base(nameof(UpSample))
    {
        if (!string.Equals(mode, "deconv", StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException($"UpSample mode '{mode}' is not implemented; only 'deconv' is.");
        if (scaleFactor <= 0)
            throw new ArgumentOutOfRangeException(nameof(scaleFactor), $"Scale factor must be positive, got {scaleFactor}.");
        deconv = nn.ConvTranspose3d(inChannels, outChannels, scaleFactor, stride: scaleFactor, bias: bias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => deconv.call(input);
}

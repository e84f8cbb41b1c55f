using MedSeg.Training.Networks.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>basic_unet.UpCat</c>: upsample ×2 (<c>upsample</c>, halving channels when <c>halves</c>), pad by
/// replication where the encoder map is one voxel larger (odd sizes before pooling), concatenate
/// [encoder, upsampled] and apply <see cref="TwoConv"/> (<c>convs</c>).
/// </summary>
public sealed class UpCat : CompositeModule2
{
    private readonly UpSample upsample;
    private readonly TwoConv convs;

    public UpCat(long inChannels, long catChannels, long outChannels, LayerSpec act, LayerSpec norm, bool bias,
        double dropout = 0.0, string upsampleMode = "deconv", bool halves = true) : base(nameof(UpCat))
    {
        long upChannels = halves ? inChannels / 2 : inChannels;
        upsample = new UpSample(inChannels, upChannels, 2, upsampleMode);
        convs = new TwoConv(catChannels + upChannels, outChannels, act, norm, bias, dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, Tensor encoder)
    {
        using var scope = NewDisposeScope();
        var up = upsample.call(input);
        int dims = (int)input.dim() - 2;
        var padding = new long[dims * 2];
        bool pad = false;
        for (int i = 0; i < dims; i++)
        {
            // F.pad order: last axis first, (before, after) pairs.
            if (encoder.shape[^(i + 1)] != up.shape[^(i + 1)])
            {
                padding[i * 2 + 1] = 1;
                pad = true;
            }
        }
        if (pad) up = nn.functional.pad(up, padding, PaddingModes.Replicate);
        return convs.call(cat([encoder, up], dim: 1)).MoveToOuterDisposeScope();
    }
}

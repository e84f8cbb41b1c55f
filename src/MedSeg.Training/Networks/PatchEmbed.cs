using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks;

/// <summary>
/// Non-overlapping patch embedding as MONAI's <c>PatchEmbed</c>: pads each spatial axis at the end to
/// a multiple of the patch, a strided convolution (kernel = stride = patch), then an optional
/// LayerNorm over channels. Channel-first in and out. Keys: <c>proj.{weight,bias}</c>,
/// <c>norm.{weight,bias}</c> (only with <c>patchNorm</c>).
/// </summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> proj;
    private readonly LayerNorm? norm;
    private readonly long[] _patch;

    public PatchEmbed(long patchSize, long inChannels, long embedDim, int spatialDims, bool patchNorm = false)
        : base(nameof(PatchEmbed))
    {
        _patch = Enumerable.Repeat(patchSize, spatialDims).ToArray();
        proj = spatialDims == 3
            ? nn.Conv3d(inChannels, embedDim, patchSize, stride: patchSize)
            : nn.Conv2d(inChannels, embedDim, patchSize, stride: patchSize);
        if (patchNorm) norm = nn.LayerNorm(embedDim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        int k = _patch.Length;
        var pad = new long[2 * k];
        bool needsPad = false;
        for (int i = 0; i < k; i++)
        {
            long rem = x.shape[2 + i] % _patch[i];
            if (rem == 0) continue;
            pad[2 * (k - 1 - i) + 1] = _patch[i] - rem;
            needsPad = true;
        }
        if (needsPad) x = nn.functional.pad(x, pad);
        var y = proj.call(x);
        if (norm is not null)
        {
            var shape = y.shape;
            y = norm.call(y.flatten(2).transpose(1, 2)).transpose(1, 2).reshape(shape);
        }
        return y.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { proj.Dispose(); norm?.Dispose(); }
        base.Dispose(disposing);
    }
}

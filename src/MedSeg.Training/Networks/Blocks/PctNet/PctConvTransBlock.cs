using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks.PctNet;

/// <summary>
/// MIS-FM <c>BasicLayer</c> without downsampling: depth Swin blocks alternating shift 0 and w//2, drop-path constant
/// (not increasing), one shifted-window mask per forward built with the layer's window (keys blocks.N.*).
/// </summary>
public sealed class PctBasicLayer : nn.Module<Tensor, long[], Tensor>
{
    private readonly ModuleList<PctSwinBlock> blocks;
    private readonly int _window;

    public PctBasicLayer(long dim, long[] resolution, int depth, long heads, int window, double drop, double attnDrop, double dropPath)
        : base("BasicLayer")
    {
        _window = window;
        blocks = nn.ModuleList(Enumerable.Range(0, depth)
            .Select(i => new PctSwinBlock(dim, resolution, heads, window, i % 2 == 0 ? 0 : window / 2, 4.0, drop, attnDrop, dropPath))
            .ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, long[] shape)
    {
        using var scope = NewDisposeScope();
        Tensor? mask = null;
        if (blocks.Any(b => b.Shift > 0))
        {
            long Pad(long v) => (v + _window - 1) / _window * _window;
            mask = PctWindows.ShiftMask(Pad(shape[0]), Pad(shape[1]), Pad(shape[2]), _window, _window / 2, x.device).to(x.dtype);
        }
        foreach (var block in blocks) x = block.call(x, shape, mask);
        return x.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) foreach (var child in children()) child.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// MIS-FM <c>ConvTransBlock</c>: the SUM of a 3D ConvBlock and a Swin BasicLayer on the same features
/// (keys conv.*, trans.*, norm_layer.* — the latter exists in the release but is not used in forward).
/// </summary>
public sealed class PctConvTransBlock : CompositeModule
{
    private readonly PctConvBlock conv;
    private readonly PctBasicLayer trans;
    private readonly LayerNorm norm_layer;
    private readonly RunDropout pos_drop;

    public PctConvTransBlock(long chns, long[] resolution, int depth, long heads, int window, double dropout, double dropPath = 0.2)
        : base("ConvTransBlock")
    {
        conv = new PctConvBlock(chns, chns, 3, dropout);
        trans = new PctBasicLayer(chns, resolution, depth, heads, window, dropout, dropout, dropPath);
        norm_layer = nn.LayerNorm(chns);
        pos_drop = new RunDropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x1 = conv.call(x);
        long c = x.shape[1];
        long[] shape = [x.shape[2], x.shape[3], x.shape[4]];
        var tokens = pos_drop.call(x.flatten(2).transpose(1, 2).contiguous());
        var x2 = trans.call(tokens, shape).view(-1, shape[0], shape[1], shape[2], c).permute(0, 4, 1, 2, 3);
        return (x1 + x2).MoveToOuterDisposeScope();
    }
}

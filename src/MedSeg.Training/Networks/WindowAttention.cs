using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks;

/// <summary>
/// Window-based multi-head self-attention with a learned relative-position bias (Swin Transformer,
/// https://arxiv.org/abs/2103.14030), laid out as MONAI's <c>WindowAttention</c>.
/// State-dict keys: <c>relative_position_bias_table</c> (prod(2w-1), heads),
/// <c>relative_position_index</c> (int64 buffer, N×N with N = prod(w)), <c>qkv.*</c>, <c>proj.*</c>.
/// </summary>
/// <remarks>
/// When the feature map is smaller than the configured window (deep stages of small inputs), the
/// window shrinks but MONAI keeps indexing the bias with the top-left <c>n×n</c> block of the full
/// window's index; this class does the same so that outputs match MONAI checkpoints.
/// </remarks>
public sealed class WindowAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Parameter relative_position_bias_table;
    private readonly Tensor relative_position_index;
    private readonly Linear qkv;
    private readonly Layers.RunDropout attn_drop;
    private readonly Linear proj;
    private readonly Layers.RunDropout proj_drop;

    private readonly long _heads;
    private readonly double _scale;

    /// <param name="dim">channels.</param>
    /// <param name="numHeads">attention heads; must divide <paramref name="dim"/>.</param>
    /// <param name="window">window size per spatial axis (2 or 3 axes).</param>
    /// <param name="qkvBias">bias in the qkv projection (MONAI SwinUNETR: true).</param>
    /// <param name="attnDrop">dropout on attention weights.</param>
    /// <param name="projDrop">dropout after the output projection.</param>
    public WindowAttention(long dim, long numHeads, IReadOnlyList<long> window, bool qkvBias = false,
        double attnDrop = 0.0, double projDrop = 0.0) : base(nameof(WindowAttention))
    {
        if (numHeads <= 0 || dim % numHeads != 0)
            throw new ArgumentException($"dim ({dim}) should be divisible by num_heads ({numHeads}).", nameof(numHeads));
        _heads = numHeads;
        _scale = Math.Pow(dim / numHeads, -0.5);
        relative_position_bias_table = nn.Parameter(zeros(SwinWindows.BiasTableSize(window), numHeads));
        using (no_grad()) nn.init.trunc_normal_(relative_position_bias_table, std: 0.02);
        relative_position_index = SwinWindows.RelativePositionIndex(window);
        qkv = nn.Linear(dim, dim * 3, hasBias: qkvBias);
        attn_drop = new Layers.RunDropout(attnDrop);
        proj = nn.Linear(dim, dim);
        proj_drop = new Layers.RunDropout(projDrop);
        RegisterComponents();
    }

    /// <param name="x">windows <c>(b*nW, n, c)</c>.</param>
    /// <param name="mask">shifted-window mask <c>(nW, n, n)</c> or null.</param>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        var qkvOut = qkv.call(x).reshape(b, n, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4);
        var q = qkvOut[0] * _scale;
        var k = qkvOut[1];
        var v = qkvOut[2];
        var attn = q.matmul(k.transpose(-2, -1));

        var index = relative_position_index[TensorIndex.Slice(0, n), TensorIndex.Slice(0, n)].reshape(-1);
        var bias = relative_position_bias_table.index_select(0, index).reshape(n, n, -1).permute(2, 0, 1).contiguous();
        attn = attn + bias.unsqueeze(0);
        if (mask is not null)
        {
            long nw = mask.shape[0];
            attn = attn.view(b / nw, nw, _heads, n, n) + mask.to(attn.dtype).unsqueeze(1).unsqueeze(0);
            attn = attn.view(-1, _heads, n, n);
        }
        attn = attn_drop.call(attn.softmax(-1)).to(v.dtype);
        var y = attn.matmul(v).transpose(1, 2).reshape(b, n, c);
        return proj_drop.call(proj.call(y)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            relative_position_bias_table.Dispose(); relative_position_index.Dispose();
            qkv.Dispose(); attn_drop.Dispose(); proj.Dispose(); proj_drop.Dispose();
        }
        base.Dispose(disposing);
    }
}

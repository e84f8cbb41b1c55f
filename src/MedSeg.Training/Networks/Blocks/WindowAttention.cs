using MedSeg.Training.Natives;
using MedSeg.Training.Benchmarks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using MedSeg.Training.Networks.Layers;

namespace MedSeg.Training.Networks.Blocks;

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
public sealed class WindowAttention : CompositeModule<Tensor, Tensor?, Tensor>
{
    private readonly Parameter relative_position_bias_table;
    private readonly Tensor relative_position_index;
    private readonly Linear qkv;
    private readonly Layers.RunDropout attn_drop;
    private readonly Linear proj;
    private readonly Layers.RunDropout proj_drop;

    private readonly long _heads;
    private readonly double _scale;
    private readonly string _profile;

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
        _profile = $"swin c{dim} attn";
        relative_position_bias_table = nn.Parameter(zeros(SwinWindows.BiasTableSize(window), numHeads));
        using (no_grad()) nn.init.trunc_normal_(relative_position_bias_table, std: 0.02);
        relative_position_index = SwinWindows.RelativePositionIndex(window);
        qkv = nn.Linear(dim, dim * 3, hasBias: qkvBias);
        attn_drop = new Layers.RunDropout(attnDrop);
        proj = nn.Linear(dim, dim);
        proj_drop = new Layers.RunDropout(projDrop);
        RegisterComponents();
    }

    /// <summary>
    /// Where no gradient is recorded (inference, validation), attention runs as one fused
    /// <c>scaled_dot_product_attention</c> with the bias (and shift mask) as its additive mask: libtorch's CPU flash kernel
    /// then works through blocks of keys and never holds the (windows, heads, n, n) score tensor, its bias sum and its
    /// softmax in memory (SwinUNETR's first stage at a 64³ window: 176 MB each, most of a window's CPU time went into
    /// faulting those pages in). Same arithmetic up to float rounding. With gradients, MONAI's explicit form stays.
    /// Process-wide switch; false restores the explicit form everywhere (benchmarks' "before" figures).
    /// </summary>
    public static bool FusedInference { get; set; } = true;

    /// <param name="x">windows <c>(b*nW, n, c)</c>.</param>
    /// <param name="mask">shifted-window mask <c>(nW, n, n)</c> or null.</param>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        Tensor qkvOut, bias, y;
        using (CpuProfile.Measure(_profile + " qkv"))
            qkvOut = qkv.call(x).reshape(b, n, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4);
        using (CpuProfile.Measure(_profile + " bias"))
        {
            var index = relative_position_index[TensorIndex.Slice(0, n), TensorIndex.Slice(0, n)].reshape(-1);
            bias = relative_position_bias_table.index_select(0, index).reshape(n, n, -1).permute(2, 0, 1).contiguous();
        }
        bool fused = FusedInference && !is_grad_enabled() && (!training || attn_drop.P == 0);
        y = fused ? FusedAttention(qkvOut, bias, mask) : ExplicitAttention(qkvOut, bias, mask);
        y = y.transpose(1, 2).reshape(b, n, c);
        using var _ = CpuProfile.Measure(_profile + " proj");
        return proj_drop.call(proj.call(y)).MoveToOuterDisposeScope();
    }

    /// <summary>MONAI's form: scaled scores, + bias, + mask, softmax, · v. Returns <c>(b*nW, heads, n, d)</c>.</summary>
    private Tensor ExplicitAttention(Tensor qkvOut, Tensor bias, Tensor? mask)
    {
        var q = qkvOut[0].Times(_scale);
        var k = qkvOut[1];
        var v = qkvOut[2];
        long b = q.shape[0], n = q.shape[2];
        Tensor attn;
        using (CpuProfile.Measure(_profile + " q·k"))
            attn = q.matmul(k.transpose(-2, -1));
        using (CpuProfile.Measure(_profile + " + bias + mask"))
        {
            attn = attn.Plus(bias.unsqueeze(0));
            if (mask is not null)
            {
                long nw = mask.shape[0];
                attn = attn.view(b / nw, nw, _heads, n, n).Plus(mask.to(attn.dtype).unsqueeze(1).unsqueeze(0));
                attn = attn.view(-1, _heads, n, n);
            }
        }
        using (CpuProfile.Measure(_profile + " softmax"))
            attn = attn_drop.call(attn.softmax(-1)).to(v.dtype);
        using (CpuProfile.Measure(_profile + " a·v"))
            return attn.matmul(v);
    }

    /// <summary>The same through <c>scaled_dot_product_attention</c> (scale 1/√d, as <see cref="_scale"/>).</summary>
    private Tensor FusedAttention(Tensor qkvOut, Tensor bias, Tensor? mask)
    {
        var q = qkvOut[0];
        var k = qkvOut[1];
        var v = qkvOut[2];
        if (mask is null)
        {
            using var _ = CpuProfile.Measure(_profile + " fused sdpa");
            return nn.functional.scaled_dot_product_attention(q, k, v, bias.unsqueeze(0));
        }
        long b = q.shape[0], nw = mask.shape[0];
        Tensor combined;
        // The kernel broadcasts its mask per axis only: bias (heads) and shift mask (windows) are summed once here.
        using (CpuProfile.Measure(_profile + " bias + mask"))
            combined = mask.to(q.dtype).unsqueeze(1).Plus(bias.unsqueeze(0));
        using var section = CpuProfile.Measure(_profile + " fused sdpa");
        if (b == nw) return nn.functional.scaled_dot_product_attention(q, k, v, combined);
        // Several images per call (sw-batch > 1): one kernel call per image keeps the mask at one image's size.
        var parts = new Tensor[b / nw];
        for (long i = 0; i < parts.Length; i++)
        {
            var rows = TensorIndex.Slice(i * nw, (i + 1) * nw);
            parts[i] = nn.functional.scaled_dot_product_attention(q[rows], k[rows], v[rows], combined);
        }
        return cat(parts, 0);
    }

    protected override void Dispose(bool disposing)
    {
        // The table and index are tensors, not child modules: the base disposes only the children.
        if (disposing) { relative_position_bias_table.Dispose(); relative_position_index.Dispose(); }
        base.Dispose(disposing);
    }
}

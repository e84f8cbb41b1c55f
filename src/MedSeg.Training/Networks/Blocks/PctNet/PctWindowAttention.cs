using MedSeg.Training.Natives;
using MedSeg.Training.Networks.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks.PctNet;

/// <summary>
/// MIS-FM <c>WindowAttention</c> (cubic window w): keys relative_position_bias_table ((2w−1)³, heads),
/// relative_position_index (int64 buffer, w³ × w³), qkv.*, proj.*.
/// </summary>
/// <remarks>
/// The index is the authors' (copied from nnFormer): offsets shifted by w−1, then axis 0 multiplied by 3w−1 and axis 1
/// by 2w−1 — not the (2w−1)² / (2w−1) of Swin, so some offsets share a table row. Released weights were trained with
/// it, so it is reproduced exactly (<see cref="RelativePositionIndex"/>).
/// </remarks>
public sealed class PctWindowAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Parameter relative_position_bias_table;
    private readonly Tensor relative_position_index;
    private readonly Linear qkv;
    private readonly RunDropout attn_drop;
    private readonly Linear proj;
    private readonly RunDropout proj_drop;
    private readonly long _heads;
    private readonly double _scale;
    private readonly long _tokens;

    public PctWindowAttention(long dim, int window, long heads, double attnDrop, double projDrop) : base("WindowAttention")
    {
        if (heads <= 0 || dim % heads != 0)
            throw new ArgumentException($"PCT-Net: channels ({dim}) must be divisible by num_heads ({heads}).", nameof(heads));
        _heads = heads;
        _scale = Math.Pow(dim / heads, -0.5);
        _tokens = (long)window * window * window;
        long table = (long)(2 * window - 1) * (2 * window - 1) * (2 * window - 1);
        relative_position_bias_table = nn.Parameter(zeros(table, heads));
        using (no_grad()) nn.init.trunc_normal_(relative_position_bias_table, std: 0.02);
        relative_position_index = tensor(RelativePositionIndex(window), [_tokens, _tokens]);
        register_buffer(nameof(relative_position_index), relative_position_index);
        qkv = nn.Linear(dim, dim * 3, hasBias: true);
        attn_drop = new RunDropout(attnDrop);
        proj = nn.Linear(dim, dim);
        proj_drop = new RunDropout(projDrop);
        RegisterComponents();
    }

    /// <summary>The authors' pair-wise index for a w×w×w window, row-major (w³ × w³).</summary>
    public static long[] RelativePositionIndex(int w)
    {
        int n = w * w * w;
        var index = new long[(long)n * n];
        for (int i = 0; i < n; i++)
        {
            int si = i / (w * w), hi = i / w % w, wi = i % w;
            for (int j = 0; j < n; j++)
            {
                int sj = j / (w * w), hj = j / w % w, wj = j % w;
                long a = si - sj + w - 1, b = hi - hj + w - 1, c = wi - wj + w - 1;
                index[(long)i * n + j] = a * (3 * w - 1) + b * (2 * w - 1) + c;
            }
        }
        return index;
    }

    /// <param name="x">windows (B·nW, w³, C).</param>
    /// <param name="mask">shifted-window mask (nW, w³, w³) of 0 / −100, or null.</param>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        var qkvOut = qkv.call(x).reshape(b, n, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4);
        var q = qkvOut[0].Times(_scale);
        var attn = q.matmul(qkvOut[1].transpose(-2, -1));
        var bias = relative_position_bias_table.index_select(0, relative_position_index.view(-1))
            .view(_tokens, _tokens, -1).permute(2, 0, 1);
        attn = attn.Plus(bias.unsqueeze(0));
        if (mask is not null)
        {
            long nw = mask.shape[0];
            attn = attn.view(b / nw, nw, _heads, n, n).Plus(mask.unsqueeze(1).unsqueeze(0));
            attn = attn.view(-1, _heads, n, n);
        }
        attn = attn_drop.call(attn.softmax(-1));
        var y = attn.matmul(qkvOut[2]).transpose(1, 2).reshape(b, n, c);
        return proj_drop.call(proj.call(y)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var child in children()) child.Dispose();
            relative_position_index.Dispose();
        }
        base.Dispose(disposing);
    }
}

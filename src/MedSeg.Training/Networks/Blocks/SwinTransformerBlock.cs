using MedSeg.Training.Natives;
using MedSeg.Training.Networks.Blocks;
using MedSeg.Training.Benchmarks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using MedSeg.Training.Networks.Layers;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// One Swin Transformer block as MONAI's <c>SwinTransformerBlock</c>: LayerNorm → (shifted) window
/// attention → residual, then LayerNorm → MLP → residual. Input and output are channel-last
/// <c>(b, s1..sk, c)</c>. The spatial size is padded up to a multiple of the window before
/// partitioning and cropped back afterwards.
/// State-dict keys: <c>norm1.*</c>, <c>attn.*</c>, <c>norm2.*</c>, <c>mlp.linear{1,2}.*</c>.
/// </summary>
public sealed class SwinTransformerBlock : CompositeModule<Tensor, Tensor?, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly WindowAttention attn;
    private readonly DropPath drop_path;
    private readonly LayerNorm norm2;
    private readonly MlpBlock mlp;

    private readonly long[] _window;
    private readonly long[] _shift;
    private readonly string _profile;

    /// <param name="dim">channels.</param>
    /// <param name="numHeads">attention heads.</param>
    /// <param name="window">window size per axis.</param>
    /// <param name="shift">cyclic shift per axis (0 for regular windows, window/2 for shifted ones).</param>
    /// <param name="mlpRatio">MLP hidden size = dim * ratio.</param>
    /// <param name="qkvBias">bias in the qkv projection.</param>
    /// <param name="drop">dropout after attention projection and in the MLP.</param>
    /// <param name="attnDrop">dropout on attention weights.</param>
    /// <param name="dropPath">stochastic depth probability of this block.</param>
    public SwinTransformerBlock(long dim, long numHeads, IReadOnlyList<long> window, IReadOnlyList<long> shift,
        double mlpRatio = 4.0, bool qkvBias = true, double drop = 0.0, double attnDrop = 0.0, double dropPath = 0.0)
        : base(nameof(SwinTransformerBlock))
    {
        _window = window.ToArray();
        _shift = shift.ToArray();
        _profile = $"swin c{dim} block";
        norm1 = nn.LayerNorm(dim);
        attn = new WindowAttention(dim, numHeads, _window, qkvBias, attnDrop, drop);
        drop_path = new DropPath(dropPath);
        norm2 = nn.LayerNorm(dim);
        mlp = new MlpBlock(dim, (long)(dim * mlpRatio), drop);
        RegisterComponents();
    }

    /// <param name="x">channel-last features <c>(b, s1..sk, c)</c>.</param>
    /// <param name="shiftMask">mask of the layer's shifted windows (used only if this block shifts).</param>
    public override Tensor forward(Tensor x, Tensor? shiftMask)
    {
        using var scope = NewDisposeScope();
        Tensor y;
        using (CpuProfile.Measure(_profile + " attention part"))
            y = x.Plus(drop_path.call(Attend(x, shiftMask)));
        using (CpuProfile.Measure(_profile + " norm2+mlp+residual"))
            y = y.Plus(drop_path.call(mlp.call(norm2.call(y))));
        return y.MoveToOuterDisposeScope();
    }

    private Tensor Attend(Tensor x, Tensor? shiftMask)
    {
        int k = _window.Length;
        Tensor h;
        using (CpuProfile.Measure(_profile + " norm1")) h = norm1.call(x);
        long b = h.shape[0], c = h.shape[^1];
        var size = h.shape.Skip(1).Take(k).ToArray();
        var (window, shift) = SwinWindows.EffectiveWindow(size, _window, _shift);

        // Pad at the end of each spatial axis up to a multiple of the window (F.pad order: last axis first).
        var pad = new long[2 + 2 * k];
        bool padded = false;
        for (int i = 0; i < k; i++)
        {
            long extra = (window[i] - size[i] % window[i]) % window[i];
            pad[2 + 2 * (k - 1 - i) + 1] = extra;
            padded |= extra > 0;
        }
        if (padded) using (CpuProfile.Measure(_profile + " pad")) h = nn.functional.pad(h, pad);
        var paddedSize = h.shape.Skip(1).Take(k).ToArray();
        var dims = Enumerable.Range(1, k).Select(i => (long)i).ToArray();

        bool shifted = shift.Any(s => s > 0);
        if (shifted) using (CpuProfile.Measure(_profile + " roll")) h = roll(h, shift.Select(s => -s).ToArray(), dims);
        Tensor windows;
        using (CpuProfile.Measure(_profile + " partition")) windows = SwinWindows.Partition(h, window);
        var attended = attn.call(windows, shifted ? shiftMask : null);
        var viewShape = new List<long> { -1 };
        viewShape.AddRange(window);
        viewShape.Add(c);
        using (CpuProfile.Measure(_profile + " reverse")) h = SwinWindows.Reverse(attended.view(viewShape.ToArray()), window, b, paddedSize);
        if (shifted) using (CpuProfile.Measure(_profile + " roll back")) h = roll(h, shift, dims);
        if (padded)
        {
            using var _ = CpuProfile.Measure(_profile + " crop");
            var index = new List<TensorIndex> { TensorIndex.Colon };
            index.AddRange(size.Select(s => TensorIndex.Slice(0, s)));
            index.Add(TensorIndex.Colon);
            h = h[index.ToArray()].contiguous();
        }
        return h;
    }
}

using MedSeg.Training.Natives;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks.PctNet;

/// <summary>
/// MIS-FM <c>SwinTransformerBlock</c> (pre-norm): LN → pad to multiples of the window → (cyclic shift) → window
/// attention → reverse → crop → residual with drop-path; then LN → MLP (ratio 4, GELU) → residual.
/// If the smallest side of the resolution it was built for is ≤ the window, the window shrinks to that side and
/// the block does not shift (the authors' rule, decided at construction).
/// </summary>
public sealed class PctSwinBlock : nn.Module<Tensor, long[], Tensor?, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly PctWindowAttention attn;
    private readonly DropPath drop_path;
    private readonly LayerNorm norm2;
    private readonly PctMlp mlp;

    public PctSwinBlock(long dim, long[] resolution, long heads, int window, int shift, double mlpRatio, double drop,
        double attnDrop, double dropPath) : base("SwinTransformerBlock")
    {
        if (resolution.Min() <= window)
        {
            shift = 0;
            window = (int)resolution.Min();
        }
        if (shift < 0 || shift >= window) throw new ArgumentException($"PCT-Net: shift {shift} must be in 0..{window - 1}.");
        Window = window;
        Shift = shift;
        norm1 = nn.LayerNorm(dim);
        attn = new PctWindowAttention(dim, window, heads, attnDrop, drop);
        drop_path = new DropPath(dropPath);
        norm2 = nn.LayerNorm(dim);
        mlp = new PctMlp(dim, (long)(dim * mlpRatio), drop);
        RegisterComponents();
    }

    public int Window { get; }
    public int Shift { get; }

    /// <param name="x">tokens (B, S·H·W, C).</param>
    /// <param name="shape">(S, H, W) of the token grid.</param>
    /// <param name="mask">the layer's shifted-window mask; used only when this block shifts.</param>
    public override Tensor forward(Tensor x, long[] shape, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[2];
        long s = shape[0], h = shape[1], w = shape[2];
        int ws = Window;
        var shortcut = x;
        var y = norm1.call(x).view(b, s, h, w, c);
        long padW = (ws - w % ws) % ws, padH = (ws - h % ws) % ws, padS = (ws - s % ws) % ws;
        if (padW > 0 || padH > 0 || padS > 0) y = nn.functional.pad(y, [0, 0, 0, padW, 0, padH, 0, padS]);
        long sp = s + padS, hp = h + padH, wp = w + padW;
        if (Shift > 0) y = roll(y, [-Shift, -Shift, -Shift], [1, 2, 3]);
        var windows = PctWindows.Partition(y, ws).view(-1, (long)ws * ws * ws, c);
        var attended = attn.call(windows, Shift > 0 ? mask : null).view(-1, ws, ws, ws, c);
        y = PctWindows.Reverse(attended, ws, sp, hp, wp);
        if (Shift > 0) y = roll(y, [Shift, Shift, Shift], [1, 2, 3]);
        if (padW > 0 || padH > 0 || padS > 0)
            y = y[.., TensorIndex.Slice(0, s), TensorIndex.Slice(0, h), TensorIndex.Slice(0, w), ..].contiguous();
        y = shortcut.Plus(drop_path.call(y.view(b, s * h * w, c)));
        y = y.Plus(drop_path.call(mlp.call(norm2.call(y))));
        return y.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) foreach (var child in children()) child.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Window partition / reverse and the shifted-window mask, as the authors' transformer.py builds them.</summary>
public static class PctWindows
{
    /// <summary>(B, S, H, W, C) → (B·nW, w, w, w, C), windows in (S, H, W) raster order.</summary>
    public static Tensor Partition(Tensor x, int w)
    {
        long b = x.shape[0], s = x.shape[1], h = x.shape[2], wd = x.shape[3], c = x.shape[4];
        return x.view(b, s / w, w, h / w, w, wd / w, w, c).permute(0, 1, 3, 5, 2, 4, 6, 7).contiguous().view(-1, w, w, w, c);
    }

    public static Tensor Reverse(Tensor windows, int w, long s, long h, long wd)
    {
        long b = windows.shape[0] / (s * h * wd / ((long)w * w * w));
        return windows.view(b, s / w, h / w, wd / w, w, w, w, -1).permute(0, 1, 4, 2, 5, 3, 6, 7).contiguous().view(b, s, h, wd, -1);
    }

    /// <summary>
    /// The mask of a layer with window <paramref name="w"/> and shift <paramref name="shift"/> on a grid padded to
    /// (sp, hp, wp): (nW, w³, w³), 0 where two tokens come from the same region, −100 elsewhere.
    /// </summary>
    public static Tensor ShiftMask(long sp, long hp, long wp, int w, int shift, Device device)
    {
        static int Region(long i, long size, int w, int shift) => i < size - w ? 0 : i < size - shift ? 1 : 2;
        long ns = sp / w, nh = hp / w, nw = wp / w;
        int n = w * w * w;
        var labels = new int[n];
        var mask = new float[ns * nh * nw * n * n];
        long k = 0;
        for (long a = 0; a < ns; a++)
        for (long bb = 0; bb < nh; bb++)
        for (long cc = 0; cc < nw; cc++)
        {
            for (int t = 0; t < n; t++)
            {
                int i = t / (w * w), j = t / w % w, l = t % w;
                labels[t] = Region(a * w + i, sp, w, shift) * 9 + Region(bb * w + j, hp, w, shift) * 3 + Region(cc * w + l, wp, w, shift);
            }
            for (int p = 0; p < n; p++)
            for (int q = 0; q < n; q++)
                mask[k++] = labels[q] != labels[p] ? -100f : 0f;
        }
        return tensor(mask, [ns * nh * nw, n, n], device: device);
    }
}

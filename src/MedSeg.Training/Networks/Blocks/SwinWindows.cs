using MedSeg.Training.Natives;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// Window helpers of the Swin Transformer (Liu et al., "Swin Transformer: Hierarchical Vision
/// Transformer using Shifted Windows", https://arxiv.org/abs/2103.14030), written for 2 or 3 spatial
/// dimensions with the same tensor layouts as MONAI's <c>swin_unetr.py</c> so that attention windows,
/// masks and relative-position indices line up with MONAI checkpoints.
/// Channel-last layout throughout: <c>(batch, s1, .., sk, channels)</c>.
/// </summary>
public static class SwinWindows
{
    /// <summary>Splits <c>(b, s1..sk, c)</c> into windows <c>(b * nWindows, w1*..*wk, c)</c>.</summary>
    public static Tensor Partition(Tensor x, IReadOnlyList<long> window)
    {
        int k = window.Count;
        var shape = x.shape;
        var view = new List<long> { shape[0] };
        for (int i = 0; i < k; i++) { view.Add(shape[i + 1] / window[i]); view.Add(window[i]); }
        view.Add(shape[k + 1]);
        // (0, 1, 3, 5, .., 2, 4, 6, .., last): window-grid axes first, then in-window axes.
        var perm = new List<long> { 0 };
        for (int i = 0; i < k; i++) perm.Add(1 + 2 * i);
        for (int i = 0; i < k; i++) perm.Add(2 + 2 * i);
        perm.Add(2 * k + 1);
        long tokens = window.Aggregate(1L, (a, b) => a * b);
        return x.view(view.ToArray()).permute(perm.ToArray()).contiguous().view(-1, tokens, shape[k + 1]);
    }

    /// <summary>Inverse of <see cref="Partition"/>: windows <c>(b*nW, w1..wk, c)</c> back to <c>(b, s1..sk, c)</c>.</summary>
    public static Tensor Reverse(Tensor windows, IReadOnlyList<long> window, long batch, IReadOnlyList<long> spatial)
    {
        int k = window.Count;
        var view = new List<long> { batch };
        for (int i = 0; i < k; i++) view.Add(spatial[i] / window[i]);
        view.AddRange(window);
        view.Add(-1);
        // (0, 1, k+1, 2, k+2, .., last): interleave grid and in-window axes again.
        var perm = new List<long> { 0 };
        for (int i = 0; i < k; i++) { perm.Add(1 + i); perm.Add(1 + k + i); }
        perm.Add(2 * k + 1);
        var outShape = new List<long> { batch };
        outShape.AddRange(spatial);
        outShape.Add(-1);
        return windows.view(view.ToArray()).permute(perm.ToArray()).contiguous().view(outShape.ToArray());
    }

    /// <summary>
    /// MONAI's <c>get_window_size</c>: along an axis no longer than the window, the window shrinks to
    /// the axis and the shift becomes 0 (the whole axis is one window).
    /// </summary>
    public static (long[] Window, long[] Shift) EffectiveWindow(IReadOnlyList<long> size, IReadOnlyList<long> window, IReadOnlyList<long> shift)
    {
        var w = window.ToArray();
        var s = shift.ToArray();
        for (int i = 0; i < size.Count; i++)
        {
            if (size[i] <= window[i]) { w[i] = size[i]; s[i] = 0; }
        }
        return (w, s);
    }

    /// <summary>
    /// Attention mask for shifted windows over the padded grid <paramref name="padded"/>:
    /// <c>(nWindows, N, N)</c> float32 with 0 where two tokens come from the same region before the
    /// cyclic shift and -100 otherwise (MONAI's <c>compute_mask</c>).
    /// </summary>
    public static Tensor ComputeMask(IReadOnlyList<long> padded, IReadOnlyList<long> window, IReadOnlyList<long> shift, Device device)
    {
        int k = padded.Count;
        var axisLabels = new int[k][];
        for (int i = 0; i < k; i++) axisLabels[i] = RegionLabels(padded[i], window[i], shift[i]);
        long total = padded.Aggregate(1L, (a, b) => a * b);
        var labels = new float[total];
        var idx = new long[k];
        for (long flat = 0; flat < total; flat++)
        {
            long rem = flat;
            for (int i = k - 1; i >= 0; i--) { idx[i] = rem % padded[i]; rem /= padded[i]; }
            int label = 0;
            for (int i = 0; i < k; i++) label = label * 3 + axisLabels[i][idx[i]];
            labels[flat] = label;
        }
        using var scope = NewDisposeScope();
        var shape = new List<long> { 1 };
        shape.AddRange(padded);
        shape.Add(1);
        var img = tensor(labels).view(shape.ToArray()).to(device);
        var windows = Partition(img, window).squeeze(-1);
        var diff = windows.unsqueeze(1).Minus(windows.unsqueeze(2));
        var mask = diff.ne(0).to(ScalarType.Float32).Times(-100.0);
        return mask.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Region label (0, 1 or 2) of every position along one axis, reproducing the Python slice
    /// assignments <c>[:-w] = 0, [-w:-s] = 1, [-s:] = 2</c> in that order (later slices win), including
    /// Python's reading of <c>-0</c> as 0 when the shift is 0.
    /// </summary>
    internal static int[] RegionLabels(long length, long window, long shift)
    {
        var labels = new int[length];
        (long? Start, long? Stop)[] slices = { (null, -window), (-window, -shift), (-shift, null) };
        for (int r = 0; r < 3; r++)
        {
            var (start, stop) = slices[r];
            long a = Resolve(start, length, 0), b = Resolve(stop, length, length);
            for (long p = a; p < b; p++) labels[p] = r;
        }
        return labels;
    }

    private static long Resolve(long? bound, long length, long fallback)
    {
        if (bound is null) return fallback;
        long v = bound.Value < 0 ? bound.Value + length : bound.Value;
        return Math.Clamp(v, 0, length);
    }

    /// <summary>
    /// <c>relative_position_index</c>: for every pair of tokens (i, j) in a window, the row of the
    /// relative-position bias table for the offset i - j, as a mixed-radix number with radices
    /// <c>2w-1</c> (MONAI / Swin layout, int64, shape <c>(N, N)</c>).
    /// </summary>
    public static Tensor RelativePositionIndex(IReadOnlyList<long> window)
    {
        int k = window.Count;
        long n = window.Aggregate(1L, (a, b) => a * b);
        var coords = new long[n, k];
        for (long t = 0; t < n; t++)
        {
            long rem = t;
            for (int i = k - 1; i >= 0; i--) { coords[t, i] = rem % window[i]; rem /= window[i]; }
        }
        var index = new long[n * n];
        for (long a = 0; a < n; a++)
            for (long b = 0; b < n; b++)
            {
                long v = 0;
                for (int i = 0; i < k; i++) v = v * (2 * window[i] - 1) + (coords[a, i] - coords[b, i] + window[i] - 1);
                index[a * n + b] = v;
            }
        return tensor(index, new[] { n, n });
    }

    /// <summary>Rows of the relative-position bias table: prod(2w - 1).</summary>
    public static long BiasTableSize(IReadOnlyList<long> window) => window.Aggregate(1L, (a, w) => a * (2 * w - 1));
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks;

/// <summary>Which sub-grid order a <see cref="PatchMerging"/> concatenates (see its remarks).</summary>
public enum PatchMergingMode
{
    /// <summary>MONAI 1.5 <c>"merging"</c>: the 8 distinct 2×2×2 sub-grids in MONAI 1.5's order.</summary>
    Merging,
    /// <summary>MONAI <c>"mergingv2"</c>: the 8 sub-grids in <c>itertools.product</c> order.</summary>
    MergingV2,
    /// <summary>
    /// MONAI ≤ 1.4 <c>"merging"</c>: the historical bug that takes sub-grids (0,1,0) and (0,0,1) twice
    /// and never (1,1,0) / (0,1,1). Only for checkpoints trained with MONAI ≤ 1.4.
    /// </summary>
    LegacyDuplicated,
}

/// <summary>
/// Swin patch merging (2× downsampling): pads odd sizes, concatenates the 2^k sub-grids
/// <c>x[.., i::2, j::2, l::2, :]</c> along channels, LayerNorm(2^k·dim), then Linear(2^k·dim → 2·dim,
/// no bias). Channel-last in and out. State-dict keys: <c>reduction.weight</c>, <c>norm.{weight,bias}</c>.
/// </summary>
/// <remarks>
/// MONAI ≤ 1.4's default 3-D <c>PatchMerging</c> concatenated (0,0,0) (1,0,0) (0,1,0) (0,0,1) (1,0,1)
/// (0,1,0) (0,0,1) (1,1,1): two sub-grids twice, two never (MONAI issues #4757, #8284). MONAI 1.5 fixed
/// it to (0,0,0) (1,0,0) (0,1,0) (0,0,1) (1,1,0) (1,0,1) (0,1,1) (1,1,1) — note (1,1,0) before (1,0,1):
/// this exact order was confirmed against MONAI 1.5's own output (fixture swin_unetr_f12_64; the order
/// written in the fix's pull-request text, with the two swapped, misses by 0.47). Both have the same weights
/// shapes, so an old checkpoint loads silently into the fixed layout and gives different outputs —
/// use <see cref="PatchMergingMode.LegacyDuplicated"/> (SwinUnetr's <c>legacyPatchMerging</c>) for
/// weights trained with MONAI ≤ 1.4 (e.g. the published Swin UNETR self-supervised weights).
/// 2-D input always uses (0,0) (1,0) (0,1) (1,1) (axis order h, w), as MONAI does.
/// </remarks>
public sealed class PatchMerging : nn.Module<Tensor, Tensor>
{
    private readonly Linear reduction;
    private readonly LayerNorm norm;
    private readonly int[][] _offsets;
    private readonly int _spatialDims;

    public PatchMerging(long dim, int spatialDims = 3, PatchMergingMode mode = PatchMergingMode.Merging)
        : base(nameof(PatchMerging))
    {
        if (spatialDims is not (2 or 3)) throw new ArgumentException($"spatial_dims should be 2 or 3, got {spatialDims}.", nameof(spatialDims));
        _spatialDims = spatialDims;
        long parts = 1L << spatialDims;
        reduction = nn.Linear(parts * dim, 2 * dim, hasBias: false);
        norm = nn.LayerNorm(parts * dim);
        _offsets = Offsets(spatialDims, mode);
        RegisterComponents();
    }

    /// <summary>Sub-grid start offsets (one per axis) in concatenation order.</summary>
    internal static int[][] Offsets(int spatialDims, PatchMergingMode mode)
    {
        if (spatialDims == 2)
            return new[] { new[] { 0, 0 }, new[] { 1, 0 }, new[] { 0, 1 }, new[] { 1, 1 } };
        return mode switch
        {
            PatchMergingMode.Merging => new[]
            {
                new[] { 0, 0, 0 }, new[] { 1, 0, 0 }, new[] { 0, 1, 0 }, new[] { 0, 0, 1 },
                new[] { 1, 1, 0 }, new[] { 1, 0, 1 }, new[] { 0, 1, 1 }, new[] { 1, 1, 1 },
            },
            PatchMergingMode.LegacyDuplicated => new[]
            {
                new[] { 0, 0, 0 }, new[] { 1, 0, 0 }, new[] { 0, 1, 0 }, new[] { 0, 0, 1 },
                new[] { 1, 0, 1 }, new[] { 0, 1, 0 }, new[] { 0, 0, 1 }, new[] { 1, 1, 1 },
            },
            PatchMergingMode.MergingV2 => Enumerable.Range(0, 8)
                .Select(i => new[] { (i >> 2) & 1, (i >> 1) & 1, i & 1 }).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    /// <param name="x">channel-last <c>(b, s1..sk, c)</c>.</param>
    /// <returns><c>(b, ceil(s1/2)..ceil(sk/2), 2c)</c>.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        int k = _spatialDims;
        if (x.dim() != k + 2)
            throw new ArgumentException($"PatchMerging expects a {k + 2}-D channel-last tensor, got shape [{string.Join(", ", x.shape)}].");
        var pad = new long[2 + 2 * k];
        bool odd = false;
        for (int i = 0; i < k; i++)
        {
            long extra = x.shape[i + 1] % 2;
            pad[2 + 2 * (k - 1 - i) + 1] = extra;
            odd |= extra > 0;
        }
        if (odd) x = nn.functional.pad(x, pad);
        var parts = _offsets.Select(o =>
        {
            var index = new List<TensorIndex> { TensorIndex.Colon };
            index.AddRange(o.Select(start => TensorIndex.Slice(start, null, 2)));
            index.Add(TensorIndex.Colon);
            return x[index.ToArray()];
        }).ToArray();
        var merged = cat(parts, -1);
        return reduction.call(norm.call(merged)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { reduction.Dispose(); norm.Dispose(); }
        base.Dispose(disposing);
    }
}

using MedSeg.Training.Benchmarks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using MedSeg.Training.Networks.Layers;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// One Swin stage as MONAI's <c>BasicLayer</c>: <c>depth</c> blocks alternating regular and shifted
/// windows (shift = window / 2 on odd blocks), then an optional <see cref="PatchMerging"/>.
/// Channel-first in and out: <c>(b, c, s1..sk)</c> → <c>(b, 2c, s/2)</c> with downsampling.
/// State-dict keys: <c>blocks.{i}.*</c>, <c>downsample.*</c>.
/// </summary>
public sealed class BasicLayer : CompositeModule
{
    private readonly ModuleList<SwinTransformerBlock> blocks;
    private readonly PatchMerging? downsample;

    private readonly long[] _window;
    private readonly long[] _shift;
    private readonly ShiftMaskCache _masks = new();

    /// <param name="dim">channels.</param>
    /// <param name="depth">number of blocks.</param>
    /// <param name="numHeads">attention heads.</param>
    /// <param name="window">window size per axis.</param>
    /// <param name="dropPath">stochastic depth per block (length <paramref name="depth"/>).</param>
    /// <param name="mlpRatio">MLP ratio.</param>
    /// <param name="qkvBias">qkv bias.</param>
    /// <param name="drop">dropout rate.</param>
    /// <param name="attnDrop">attention dropout rate.</param>
    /// <param name="downsample">merging mode, or null for no downsampling.</param>
    public BasicLayer(long dim, int depth, long numHeads, IReadOnlyList<long> window, IReadOnlyList<double> dropPath,
        double mlpRatio = 4.0, bool qkvBias = false, double drop = 0.0, double attnDrop = 0.0,
        PatchMergingMode? downsample = null) : base(nameof(BasicLayer))
    {
        if (dropPath.Count != depth)
            throw new ArgumentException($"dropPath has {dropPath.Count} rates for {depth} blocks.", nameof(dropPath));
        _window = window.ToArray();
        _shift = _window.Select(w => w / 2).ToArray();
        var noShift = new long[_window.Length];
        blocks = new ModuleList<SwinTransformerBlock>(Enumerable.Range(0, depth)
            .Select(i => new SwinTransformerBlock(dim, numHeads, _window, i % 2 == 0 ? noShift : _shift,
                mlpRatio, qkvBias, drop, attnDrop, dropPath[i]))
            .ToArray());
        if (downsample is { } mode) this.downsample = new PatchMerging(dim, _window.Length, mode);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        int k = _window.Length;
        var size = x.shape.Skip(2).ToArray();
        var (window, shift) = SwinWindows.EffectiveWindow(size, _window, _shift);
        var padded = size.Select((s, i) => (long)Math.Ceiling(s / (double)window[i]) * window[i]).ToArray();
        // One mask per stage and padded shape, kept across forwards; blocks with shift use it, the others ignore it.
        Tensor mask;
        using (CpuProfile.Measure("swin shift mask")) mask = _masks.Get(padded, window, shift, x.device);

        var toLast = new long[k + 2];
        toLast[0] = 0;
        for (int i = 0; i < k; i++) toLast[i + 1] = i + 2;
        toLast[k + 1] = 1;
        var h = x.permute(toLast);
        foreach (var block in blocks) h = block.call(h, mask);
        if (downsample is not null) using (CpuProfile.Measure("swin patch merging")) h = downsample.call(h);

        var toFirst = new long[k + 2];
        toFirst[0] = 0;
        toFirst[1] = k + 1;
        for (int i = 0; i < k; i++) toFirst[i + 2] = i + 1;
        return h.permute(toFirst).MoveToOuterDisposeScope();
    }

    // The children are freed by CompositeModule; the mask cache is not a module, so it is freed here.
    protected override void Dispose(bool disposing)
    {
        if (disposing) _masks.Dispose();
        base.Dispose(disposing);
    }
}

using MedSeg.Training.Networks.Blocks.PctNet;
using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets;

/// <summary>
/// PCT-Net of MIS-FM (Wang et al., "MIS-FM: 3D Medical Image Segmentation using Foundation Models Pretrained on a
/// Large-Scale Unannotated Dataset", 2023; openmedlab/MIS-FM net/pct_net.py) with the authors' state_dict names:
/// embeddings.0/1/2 (one per resolution mode; all three exist, <see cref="ResolutionMode"/> picks one),
/// pyramid_ct.* (convolution + Swin in parallel at 1/4 resolution), pred_heads.0/1/2.
/// Input [N, C, D, H, W]; each side must be a multiple of <see cref="InputMultiple"/>.
/// </summary>
public sealed class PctNet : CompositeModule, IMultiscaleSegmentation
{
    /// <summary>The released configuration's channels (MIS-FM PCT-Net, 64×128×128 input, mode 1).</summary>
    public static readonly long[] ReleasedFeatures = [24, 48, 128, 256, 512];
    public static readonly long[] CodeDefaultFeatures = [32, 64, 128, 256, 512];

    private readonly ModuleList<PctPatchEmbedding> embeddings;
    private readonly PctPyramid pyramid_ct;
    private readonly ModuleList<PctPredictionHead> pred_heads;

    /// <param name="inChannels">in_chns.</param>
    /// <param name="classes">class_num.</param>
    /// <param name="inputSize">input_size (D, H, W) the Swin windows are planned for.</param>
    /// <param name="features">feature_chns (five widths).</param>
    /// <param name="dropout">dropout per level (five values).</param>
    /// <param name="depths">Swin depth at the three pyramid levels.</param>
    /// <param name="heads">num_heads at the three pyramid levels.</param>
    /// <param name="windows">window_sizes at the three pyramid levels.</param>
    /// <param name="resolutionMode">0: 3D/3D (scale 4, 4, 4); 1: 2D/3D (2, 4, 4); 2: 2D/2D (1, 4, 4).</param>
    /// <param name="multiscalePred">multiscale_pred: <see cref="ForwardMultiscale"/> returns four outputs.</param>
    public PctNet(long inChannels, long classes, long[] inputSize, long[]? features = null, double[]? dropout = null,
        int[]? depths = null, long[]? heads = null, int[]? windows = null, int resolutionMode = 0, bool multiscalePred = false)
        : base("PCTNet")
    {
        features ??= CodeDefaultFeatures;
        dropout ??= [0, 0, 0.2, 0.2, 0.2];
        depths ??= [2, 2, 2];
        heads ??= [4, 8, 16];
        windows ??= [6, 6, 6];
        if (inChannels <= 0 || classes <= 0) throw new ArgumentException($"PCTNet: in_chns and class_num must be positive, got {inChannels}, {classes}.");
        if (features.Length != 5 || features.Any(f => f <= 0)) throw new ArgumentException($"PCTNet: feature_chns must be five positive widths, got [{string.Join(", ", features)}].");
        if (dropout.Length != 5 || dropout.Any(d => d is < 0 or > 1)) throw new ArgumentException($"PCTNet: dropout must be five values in [0, 1], got [{string.Join(", ", dropout)}].");
        if (depths.Length != 3 || heads.Length != 3 || windows.Length != 3 || depths.Any(d => d < 1) || windows.Any(w => w < 1))
            throw new ArgumentException("PCTNet: depths, num_heads and window_sizes must each have three positive values.");
        if (resolutionMode is < 0 or > 2) throw new ArgumentException($"PCTNet: resolution_mode must be 0, 1 or 2, got {resolutionMode}.");
        if (inputSize.Length != 3) throw new ArgumentException($"PCTNet: input_size must be [D, H, W], got [{string.Join(", ", inputSize)}].");
        ResolutionMode = resolutionMode;
        MultiscalePred = multiscalePred;
        InputMultiple = Multiple(resolutionMode);
        for (int a = 0; a < 3; a++)
            if (inputSize[a] <= 0 || inputSize[a] % InputMultiple[a] != 0)
                throw new ArgumentException($"PCTNet: input_size[{a}] must be a positive multiple of {InputMultiple[a]} in resolution_mode {resolutionMode}, got {inputSize[a]}.");
        InputSize = inputSize;
        var scale = Scale(resolutionMode);
        long[] pyramidSize = [.. inputSize.Select((v, a) => v / scale[a])];

        long[] low = features[..3];
        double[] lowDrop = dropout[..3];
        embeddings = nn.ModuleList(
            new PctPatchEmbedding(inChannels, low, [3, 3], [3, 3], lowDrop),
            new PctPatchEmbedding(inChannels, low, [2, 3], [2, 3], lowDrop),
            new PctPatchEmbedding(inChannels, low, [2, 2], [2, 2], lowDrop));
        pyramid_ct = new PctPyramid(pyramidSize, features[2..], dropout[2..], depths, heads, windows, classes);
        pred_heads = nn.ModuleList(
            new PctPredictionHead(low, [3, 3], [3, 3], lowDrop, classes),
            new PctPredictionHead(low, [2, 3], [2, 3], lowDrop, classes),
            new PctPredictionHead(low, [2, 2], [2, 2], lowDrop, classes));
        RegisterComponents();
    }

    public int ResolutionMode { get; }
    public bool MultiscalePred { get; }
    public long[] InputSize { get; }

    /// <summary>Each input side must be a multiple of this (D, H, W): the embedding's scale times the pyramid's 4.</summary>
    public long[] InputMultiple { get; }

    public int OutputCount => MultiscalePred ? 4 : 1;

    /// <summary>Downsampling of the embedding per resolution mode (D, H, W).</summary>
    public static long[] Scale(int mode) => mode switch { 0 => [4, 4, 4], 1 => [2, 4, 4], 2 => [1, 4, 4], _ => throw new ArgumentOutOfRangeException(nameof(mode)) };

    public static long[] Multiple(int mode) => [.. Scale(mode).Select(s => s * 4)];

    /// <summary>The full-resolution logits [N, classes, D, H, W].</summary>
    public override Tensor forward(Tensor input)
    {
        var outputs = ForwardMultiscale(input);
        for (int i = 1; i < outputs.Length; i++) outputs[i].Dispose();
        return outputs[0];
    }

    /// <summary>multiscale_pred outputs in the authors' order: [full, level 1, pyramid 1/4, pyramid 1/8] (or [full]).</summary>
    public Tensor[] ForwardMultiscale(Tensor input)
    {
        if (input.dim() != 5) throw new ArgumentException($"PCTNet expects [N, C, D, H, W], got [{string.Join(", ", input.shape)}].");
        for (int a = 0; a < 3; a++)
            if (input.shape[a + 2] % InputMultiple[a] != 0)
                throw new ArgumentException($"PCTNet (resolution_mode {ResolutionMode}) needs every side a multiple of " +
                                            $"[{string.Join(", ", InputMultiple)}], got input [{string.Join(", ", input.shape)}].");
        using var scope = NewDisposeScope();
        var (x0, x1, x2) = embeddings[ResolutionMode].call(input);
        var (d2, out2, out3) = pyramid_ct.call(x2);
        var (output, output1) = pred_heads[ResolutionMode].call(x0, x1, d2);
        Tensor[] result = MultiscalePred ? [output, output1, out2, out3] : [output];
        foreach (var t in result) t.MoveToOuterDisposeScope();
        return result;
    }
}

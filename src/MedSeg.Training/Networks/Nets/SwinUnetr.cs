using MedSeg.Training.Networks.Blocks;
using MedSeg.Training.Networks.Layers;
using MedSeg.Training.Benchmarks;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets;

/// <summary>
/// Swin UNETR (Hatamizadeh et al., "Swin UNETR: Swin Transformers for Semantic Segmentation of Brain
/// Tumors in MRI Images", https://arxiv.org/abs/2201.01266; v2: He et al., https://arxiv.org/abs/2306.10219),
/// matching MONAI 1.5's <c>SwinUNETR</c>: same constructor arguments and defaults, same validation, same
/// state-dict key names, shapes and buffers, so MONAI checkpoints load strictly.
/// </summary>
/// <remarks>
/// <para>Input <c>(b, in_channels, s1..sk)</c> with every spatial size divisible by
/// <c>patch_size**5</c> (32 by default), checked in <see cref="forward"/>; output
/// <c>(b, out_channels, s1..sk)</c> logits.</para>
/// <para><c>use_checkpoint</c> (gradient checkpointing) is accepted for argument compatibility and
/// ignored: TorchSharp has no activation checkpointing. It does not change weights or outputs.</para>
/// <para><c>legacyPatchMerging</c> (not a MONAI argument) reproduces MONAI ≤ 1.4's duplicated
/// sub-grid patch merging for checkpoints trained with those versions; see <see cref="PatchMerging"/>.</para>
/// </remarks>
public sealed class SwinUnetr : CompositeModule
{
    private readonly SwinTransformer swinViT;
    private readonly UnetrBasicBlock encoder1;
    private readonly UnetrBasicBlock encoder2;
    private readonly UnetrBasicBlock encoder3;
    private readonly UnetrBasicBlock encoder4;
    private readonly UnetrBasicBlock encoder10;
    private readonly UnetrUpBlock decoder5;
    private readonly UnetrUpBlock decoder4;
    private readonly UnetrUpBlock decoder3;
    private readonly UnetrUpBlock decoder2;
    private readonly UnetrUpBlock decoder1;
    private readonly UnetOutBlock @out;

    /// <summary>Number of input channels.</summary>
    public long InChannels { get; }
    /// <summary>Number of output channels (classes).</summary>
    public long OutChannels { get; }
    /// <summary>Patch size of the embedding; inputs must be divisible by <c>PatchSize^5</c>.</summary>
    public long PatchSize { get; }
    /// <summary>Spatial dimensions (2 or 3).</summary>
    public int SpatialDims { get; }
    /// <summary>Whether the encoder features are layer-normalised before the decoder.</summary>
    public bool Normalize { get; }
    /// <summary>Channels of the first stage; stage i (0..4 of <see cref="ForwardWithStages"/>) has <c>FeatureSize·2^i</c>.</summary>
    public long FeatureSize { get; }

    /// <param name="inChannels">input channels (MONAI <c>in_channels</c>).</param>
    /// <param name="outChannels">output channels (<c>out_channels</c>).</param>
    /// <param name="patchSize">patch embedding size (<c>patch_size</c>, default 2).</param>
    /// <param name="depths">Swin blocks per stage (<c>depths</c>, default 2,2,2,2; four stages).</param>
    /// <param name="numHeads">attention heads per stage (<c>num_heads</c>, default 3,6,12,24).</param>
    /// <param name="windowSize">attention window (<c>window_size</c>, default 7): one value for every axis or one per axis.</param>
    /// <param name="qkvBias">bias in the qkv projections (<c>qkv_bias</c>, default true).</param>
    /// <param name="mlpRatio">MLP hidden ratio (<c>mlp_ratio</c>, default 4).</param>
    /// <param name="featureSize">base feature size, divisible by 12 (<c>feature_size</c>, default 24).</param>
    /// <param name="normName">decoder norm (<c>norm_name</c>): "instance" (default), "batch", or a MONAI tuple such as <c>("instance", {"affine": True})</c> via <see cref="LayerSpec.Parse"/>.</param>
    /// <param name="dropRate">dropout (<c>drop_rate</c>, default 0).</param>
    /// <param name="attnDropRate">attention dropout (<c>attn_drop_rate</c>, default 0).</param>
    /// <param name="dropoutPathRate">stochastic depth, linear over blocks (<c>dropout_path_rate</c>, default 0).</param>
    /// <param name="normalize">layer-normalise encoder features (<c>normalize</c>, default true).</param>
    /// <param name="patchNorm">LayerNorm after patch embedding (<c>patch_norm</c>, default false).</param>
    /// <param name="useCheckpoint">accepted and ignored (<c>use_checkpoint</c>), see remarks.</param>
    /// <param name="spatialDims">2 or 3 (<c>spatial_dims</c>, default 3).</param>
    /// <param name="downsample">"merging" (default) or "mergingv2" (<c>downsample</c>).</param>
    /// <param name="useV2">add the v2 residual conv blocks before each stage (<c>use_v2</c>, default false).</param>
    /// <param name="legacyPatchMerging">with "merging": MONAI ≤ 1.4's duplicated sub-grids (default false).</param>
    public SwinUnetr(long inChannels, long outChannels, long patchSize = 2, IReadOnlyList<int>? depths = null,
        IReadOnlyList<int>? numHeads = null, IReadOnlyList<long>? windowSize = null, bool qkvBias = true, double mlpRatio = 4.0,
        long featureSize = 24, LayerSpec? normName = null, double dropRate = 0.0, double attnDropRate = 0.0,
        double dropoutPathRate = 0.0, bool normalize = true, bool patchNorm = false, bool useCheckpoint = false,
        int spatialDims = 3, string downsample = "merging", bool useV2 = false, bool legacyPatchMerging = false)
        : base(nameof(SwinUnetr))
    {
        depths ??= new[] { 2, 2, 2, 2 };
        numHeads ??= new[] { 3, 6, 12, 24 };
        _ = useCheckpoint;
        if (spatialDims is not (2 or 3)) throw new ArgumentException($"spatial dimension should be 2 or 3 (spatial_dims={spatialDims}).", nameof(spatialDims));
        if (spatialDims == 2)
            throw new ArgumentException("spatial_dims=2 is not supported by this port yet (the shared UNETR blocks are 3-D); use spatial_dims=3.", nameof(spatialDims));
        if (inChannels <= 0) throw new ArgumentException($"in_channels should be positive (got {inChannels}).", nameof(inChannels));
        if (outChannels <= 0) throw new ArgumentException($"out_channels should be positive (got {outChannels}).", nameof(outChannels));
        if (patchSize <= 0) throw new ArgumentException($"patch_size should be positive (got {patchSize}).", nameof(patchSize));
        windowSize ??= new[] { 7L };
        if (windowSize.Count is not 1 && windowSize.Count != spatialDims || windowSize.Any(w => w <= 0))
            throw new ArgumentException($"window_size should be one positive number or {spatialDims} of them (got [{string.Join(", ", windowSize)}]).", nameof(windowSize));
        CheckRate(dropRate, "dropout rate", "drop_rate");
        CheckRate(attnDropRate, "attention dropout rate", "attn_drop_rate");
        CheckRate(dropoutPathRate, "drop path rate", "dropout_path_rate");
        if (featureSize <= 0 || featureSize % 12 != 0)
            throw new ArgumentException($"feature_size should be divisible by 12 (feature_size={featureSize}).", nameof(featureSize));
        if (depths.Count != SwinTransformer.Stages || depths.Any(d => d <= 0))
            throw new ArgumentException($"depths should be {SwinTransformer.Stages} positive numbers (got [{string.Join(", ", depths)}]).", nameof(depths));
        if (numHeads.Count != SwinTransformer.Stages)
            throw new ArgumentException($"num_heads should have {SwinTransformer.Stages} entries (got [{string.Join(", ", numHeads)}]).", nameof(numHeads));
        for (int i = 0; i < SwinTransformer.Stages; i++)
        {
            long dim = featureSize << i;
            if (numHeads[i] <= 0 || dim % numHeads[i] != 0)
                throw new ArgumentException($"stage {i + 1} has {dim} channels, not divisible by num_heads[{i}]={numHeads[i]}.", nameof(numHeads));
        }
        var norm = normName ?? new LayerSpec("instance");
        // Build one norm now so that an unknown name or argument fails before any module is made.
        Norms.Create(norm, featureSize).Dispose();
        var mode = downsample.ToLowerInvariant() switch
        {
            "merging" => legacyPatchMerging ? PatchMergingMode.LegacyDuplicated : PatchMergingMode.Merging,
            "mergingv2" => legacyPatchMerging
                ? throw new ArgumentException("legacyPatchMerging applies to downsample=\"merging\" only.", nameof(legacyPatchMerging))
                : PatchMergingMode.MergingV2,
            _ => throw new ArgumentException($"downsample '{downsample}' is not supported (use \"merging\" or \"mergingv2\").", nameof(downsample)),
        };

        InChannels = inChannels;
        OutChannels = outChannels;
        PatchSize = patchSize;
        SpatialDims = spatialDims;
        Normalize = normalize;
        FeatureSize = featureSize;

        var window = windowSize.Count == 1 ? Enumerable.Repeat(windowSize[0], spatialDims).ToArray() : windowSize.ToArray();
        long f = featureSize;
        swinViT = new SwinTransformer(inChannels, f, window, patchSize, depths, numHeads, mlpRatio, qkvBias,
            dropRate, attnDropRate, dropoutPathRate, patchNorm, spatialDims, mode, useV2);
        encoder1 = new UnetrBasicBlock(inChannels, f, 3, 1, norm, resBlock: true);
        encoder2 = new UnetrBasicBlock(f, f, 3, 1, norm, resBlock: true);
        encoder3 = new UnetrBasicBlock(2 * f, 2 * f, 3, 1, norm, resBlock: true);
        encoder4 = new UnetrBasicBlock(4 * f, 4 * f, 3, 1, norm, resBlock: true);
        encoder10 = new UnetrBasicBlock(16 * f, 16 * f, 3, 1, norm, resBlock: true);
        decoder5 = new UnetrUpBlock(16 * f, 8 * f, 3, 2, norm, resBlock: true);
        decoder4 = new UnetrUpBlock(8 * f, 4 * f, 3, 2, norm, resBlock: true);
        decoder3 = new UnetrUpBlock(4 * f, 2 * f, 3, 2, norm, resBlock: true);
        decoder2 = new UnetrUpBlock(2 * f, f, 3, 2, norm, resBlock: true);
        decoder1 = new UnetrUpBlock(f, f, 3, 2, norm, resBlock: true);
        @out = new UnetOutBlock(f, outChannels);
        RegisterComponents();
    }

    private static void CheckRate(double rate, string what, string name)
    {
        if (!(rate >= 0 && rate <= 1)) throw new ArgumentException($"{what} should be between 0 and 1 ({name}={rate}).", name);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the offending dimensions unless the input is
    /// <c>(b, in_channels, s1..sk)</c> with every <c>s</c> divisible by <c>patch_size**5</c>.
    /// </summary>
    public void CheckInput(Tensor x)
    {
        var shape = x.shape;
        if (shape.Length != SpatialDims + 2)
            throw new ArgumentException($"SwinUNETR expects a {SpatialDims + 2}-D input (batch, channels, {SpatialDims} spatial dims), got shape [{string.Join(", ", shape)}].", nameof(x));
        if (shape[1] != InChannels)
            throw new ArgumentException($"SwinUNETR was built for in_channels={InChannels}, input has {shape[1]} channels (shape [{string.Join(", ", shape)}]).", nameof(x));
        long factor = (long)Math.Pow(PatchSize, 5);
        var spatial = shape.Skip(2).ToArray();
        var wrong = Enumerable.Range(0, spatial.Length).Where(i => spatial[i] % factor != 0).Select(i => i + 2).ToArray();
        if (wrong.Length > 0)
            throw new ArgumentException(
                $"spatial dimensions [{string.Join(", ", wrong)}] of input image (spatial shape: [{string.Join(", ", spatial)}]) must be divisible by {PatchSize}**5 = {factor}.",
                nameof(x));
    }

    /// <summary>The Swin encoder (<c>swinViT.</c>): what Swin UNETR self-supervision trains and heads read.</summary>
    public SwinTransformer Encoder => swinViT;

    public override Tensor forward(Tensor x)
    {
        var (output, stages) = ForwardWithStages(x);
        foreach (var s in stages) s.Dispose();
        return output;
    }

    /// <summary>
    /// The segmentation output plus the encoder's five feature maps <c>[embed, stage1..stage4]</c> (channel-first, normalised
    /// as <see cref="Normalize"/> says): what pretext heads on the encoder stages (LWI's order heads) read.
    /// </summary>
    public (Tensor Output, Tensor[] Stages) ForwardWithStages(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        Tensor[] hidden;
        using (CpuProfile.Measure("swin encoder (swinViT)")) hidden = swinViT.Encode(x, Normalize);
        Tensor enc0, enc1, enc2, enc3, dec4, dec3, dec2, dec1, dec0, y;
        using (CpuProfile.Measure("cnn encoder1 (full res)")) enc0 = encoder1.call(x);
        using (CpuProfile.Measure("cnn encoder2")) enc1 = encoder2.call(hidden[0]);
        using (CpuProfile.Measure("cnn encoder3")) enc2 = encoder3.call(hidden[1]);
        using (CpuProfile.Measure("cnn encoder4")) enc3 = encoder4.call(hidden[2]);
        using (CpuProfile.Measure("cnn encoder10")) dec4 = encoder10.call(hidden[4]);
        using (CpuProfile.Measure("cnn decoder5")) dec3 = decoder5.call(dec4, hidden[3]);
        using (CpuProfile.Measure("cnn decoder4")) dec2 = decoder4.call(dec3, enc3);
        using (CpuProfile.Measure("cnn decoder3")) dec1 = decoder3.call(dec2, enc2);
        using (CpuProfile.Measure("cnn decoder2")) dec0 = decoder2.call(dec1, enc1);
        using (CpuProfile.Measure("cnn decoder1 (full res)")) y = decoder1.call(dec0, enc0);
        // call(), not forward(): lets a forward hook on out read the penultimate features.
        Tensor output;
        using (CpuProfile.Measure("cnn out (1x1 conv)")) output = @out.call(y).MoveToOuterDisposeScope();
        foreach (var h in hidden) h.MoveToOuterDisposeScope();
        return (output, hidden);
    }
}

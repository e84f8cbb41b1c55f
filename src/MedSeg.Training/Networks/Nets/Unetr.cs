using MedSeg.Training.Networks.Blocks;
using MedSeg.Training.Networks.Layers;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets;

/// <summary>
/// MONAI 1.5 <c>nets.UNETR</c> (3D): a 12-layer ViT encoder on 16³ patches whose hidden states 3, 6, 9 and the
/// final output are reshaped to feature maps and upsampled (<c>encoder2..4</c>, <c>decoder5..2</c>), plus a
/// convolutional path from the image (<c>encoder1</c>); 1×1×1 output conv (<c>out</c>).
/// State-dict keys and shapes equal MONAI's. Hatamizadeh et al., "UNETR: Transformers for 3D Medical Image
/// Segmentation", WACV 2022, arXiv:2103.10504.
/// </summary>
/// <remarks>
/// Only <c>spatial_dims=3</c>, <c>proj_type="conv"</c> and <c>save_attn=False</c> are implemented. The input must
/// have exactly <c>img_size</c> spatial size; unlike MONAI (which fails later in forward) an <c>img_size</c> that
/// is not a multiple of 16 is rejected up front.
/// </remarks>
public sealed class Unetr : CompositeModule
{
    public const int NumLayers = 12;
    public const int PatchSize = 16;

    private readonly Vit vit;
    private readonly UnetrBasicBlock encoder1;
    private readonly UnetrPrUpBlock encoder2;
    private readonly UnetrPrUpBlock encoder3;
    private readonly UnetrPrUpBlock encoder4;
    private readonly UnetrUpBlock decoder5;
    private readonly UnetrUpBlock decoder4;
    private readonly UnetrUpBlock decoder3;
    private readonly UnetrUpBlock decoder2;
    private readonly UnetOutBlock @out;

    private readonly long[] _imgSize;
    private readonly long[] _featSize;
    private readonly long _hiddenSize;
    private readonly long _inChannels;

    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels (classes).</param>
    /// <param name="imgSize">Input spatial size, one value per axis (or one value for all three), multiples of 16.</param>
    /// <param name="featureSize">Base feature width of the convolutional path. MONAI default 16.</param>
    /// <param name="hiddenSize">Transformer width. Default 768.</param>
    /// <param name="mlpDim">Transformer MLP width. Default 3072.</param>
    /// <param name="numHeads">Attention heads; must divide <paramref name="hiddenSize"/>. Default 12.</param>
    /// <param name="projType">Patch embedding; only "conv" (the default) is implemented.</param>
    /// <param name="normName">Norm of the convolutional blocks. Default "instance" (affine=False).</param>
    /// <param name="convBlock">Use conv blocks in the projection upsampling. Default true.</param>
    /// <param name="resBlock">Use residual blocks. Default true.</param>
    /// <param name="dropoutRate">Transformer dropout in [0, 1]. Default 0.</param>
    /// <param name="spatialDims">Only 3 is supported.</param>
    /// <param name="qkvBias">Bias on the fused qkv projection. Default false.</param>
    public Unetr(long inChannels, long outChannels, IReadOnlyList<long> imgSize, long featureSize = 16, long hiddenSize = 768,
        long mlpDim = 3072, long numHeads = 12, string projType = "conv", LayerSpec? normName = null, bool convBlock = true,
        bool resBlock = true, double dropoutRate = 0.0, int spatialDims = 3, bool qkvBias = false)
        : base("UNETR")
    {
        if (dropoutRate is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(dropoutRate), $"dropout_rate should be between 0 and 1, got {dropoutRate}.");
        if (numHeads <= 0 || hiddenSize % numHeads != 0)
            throw new ArgumentException($"hidden_size {hiddenSize} should be divisible by num_heads {numHeads}.");
        if (spatialDims != 3)
            throw new NotSupportedException($"UNETR here supports spatial_dims=3 only, got {spatialDims}.");
        if (projType != "conv")
            throw new NotSupportedException($"UNETR here supports proj_type='conv' only, got '{projType}'.");
        if (inChannels <= 0 || outChannels <= 0 || featureSize <= 0 || mlpDim < 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels),
                $"in_channels, out_channels, feature_size must be positive and mlp_dim ≥ 0 (got {inChannels}, {outChannels}, {featureSize}, {mlpDim}).");
        _imgSize = Tuples.Repeat(imgSize, 3, "img_size");
        if (_imgSize.Any(s => s < PatchSize || s % PatchSize != 0))
            throw new ArgumentException($"img_size ({string.Join(", ", _imgSize)}) must be positive multiples of the patch size {PatchSize}.");
        _featSize = _imgSize.Select(s => s / PatchSize).ToArray();
        _hiddenSize = hiddenSize;
        _inChannels = inChannels;
        var norm = normName ?? "instance";
        long[] patch = [PatchSize, PatchSize, PatchSize];

        vit = new Vit(inChannels, _imgSize, patch, hiddenSize, mlpDim, NumLayers, numHeads, dropoutRate, qkvBias);
        encoder1 = new UnetrBasicBlock(inChannels, featureSize, 3, 1, norm, resBlock);
        encoder2 = new UnetrPrUpBlock(hiddenSize, featureSize * 2, 2, 3, 1, 2, norm, convBlock, resBlock);
        encoder3 = new UnetrPrUpBlock(hiddenSize, featureSize * 4, 1, 3, 1, 2, norm, convBlock, resBlock);
        encoder4 = new UnetrPrUpBlock(hiddenSize, featureSize * 8, 0, 3, 1, 2, norm, convBlock, resBlock);
        decoder5 = new UnetrUpBlock(hiddenSize, featureSize * 8, 3, 2, norm, resBlock);
        decoder4 = new UnetrUpBlock(featureSize * 8, featureSize * 4, 3, 2, norm, resBlock);
        decoder3 = new UnetrUpBlock(featureSize * 4, featureSize * 2, 3, 2, norm, resBlock);
        decoder2 = new UnetrUpBlock(featureSize * 2, featureSize, 3, 2, norm, resBlock);
        @out = new UnetOutBlock(featureSize, outChannels);
        RegisterComponents();
    }

    /// <summary>(batch, tokens, hidden) → (batch, hidden, d, h, w), as MONAI's <c>proj_feat</c>.</summary>
    private Tensor ProjectFeatures(Tensor tokens) =>
        tokens.view(tokens.shape[0], _featSize[0], _featSize[1], _featSize[2], _hiddenSize).permute(0, 4, 1, 2, 3).contiguous();

    /// <summary>Transformer width (tokens' channels).</summary>
    public long HiddenSize => _hiddenSize;

    /// <summary>Token grid (input size / 16 per axis), in the input's axis order; tokens are flattened axis 0 slowest.</summary>
    public IReadOnlyList<long> TokenGrid => _featSize;

    public override Tensor forward(Tensor input)
    {
        var (output, hidden, final) = ForwardWithTokens(input);
        foreach (var h in hidden) h.Dispose();
        final.Dispose();
        return output;
    }

    /// <summary>
    /// The segmentation output plus the ViT's tokens (batch, tokens, hidden): every block's output and the final normed
    /// output — what pretext heads on hidden states (LWI's order heads) read.
    /// </summary>
    public (Tensor Output, Tensor[] Hidden, Tensor Final) ForwardWithTokens(Tensor input)
    {
        if (input.dim() != 5 || input.shape[1] != _inChannels || !input.shape.Skip(2).SequenceEqual(_imgSize))
            throw new ArgumentException(
                $"UNETR expects input (batch, {_inChannels}, {string.Join(", ", _imgSize)}), got ({string.Join(", ", input.shape)}).");
        using var scope = NewDisposeScope();
        var (x, hidden) = vit.call(input);
        var enc1 = encoder1.call(input);
        var enc2 = encoder2.call(ProjectFeatures(hidden[3]));
        var enc3 = encoder3.call(ProjectFeatures(hidden[6]));
        var enc4 = encoder4.call(ProjectFeatures(hidden[9]));
        var dec4 = ProjectFeatures(x);
        var dec3 = decoder5.call(dec4, enc4);
        var dec2 = decoder4.call(dec3, enc3);
        var dec1 = decoder3.call(dec2, enc2);
        var output = decoder2.call(dec1, enc1);
        // call(), not forward(): lets a forward hook on out read the penultimate features.
        var result = @out.call(output).MoveToOuterDisposeScope();
        foreach (var h in hidden) h.MoveToOuterDisposeScope();
        return (result, hidden, x.MoveToOuterDisposeScope());
    }
}

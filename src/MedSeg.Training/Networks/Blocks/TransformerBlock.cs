using MedSeg.Training.Natives;
using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>blocks.TransformerBlock</c> (pre-norm): x + attn(norm1(x)), [x + cross_attn(norm_cross_attn(x), context)],
/// x + mlp(norm2(x)). Dosovitskiy et al., ViT, arXiv:2010.11929.
/// </summary>
public sealed class TransformerBlock : CompositeModule
{
    private readonly MlpBlock mlp;
    private readonly LayerNorm norm1;
    private readonly SelfAttentionBlock attn;
    private readonly LayerNorm norm2;
    private readonly LayerNorm norm_cross_attn;
    private readonly CrossAttentionBlock cross_attn;
    private readonly bool _withCrossAttention;

    public TransformerBlock(long hiddenSize, long mlpDim, long numHeads, double dropoutRate = 0.0, bool qkvBias = false,
        bool withCrossAttention = false) : base(nameof(TransformerBlock))
    {
        if (dropoutRate is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(dropoutRate), $"dropout_rate should be between 0 and 1, got {dropoutRate}.");
        if (numHeads <= 0 || hiddenSize % numHeads != 0)
            throw new ArgumentException($"hidden_size {hiddenSize} should be divisible by num_heads {numHeads}.");
        mlp = new MlpBlock(hiddenSize, mlpDim, dropoutRate);
        norm1 = nn.LayerNorm(hiddenSize);
        attn = new SelfAttentionBlock(hiddenSize, numHeads, dropoutRate, qkvBias);
        norm2 = nn.LayerNorm(hiddenSize);
        _withCrossAttention = withCrossAttention;
        norm_cross_attn = nn.LayerNorm(hiddenSize);
        cross_attn = new CrossAttentionBlock(hiddenSize, numHeads, dropoutRate, qkvBias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => forward(input, null);

    public Tensor forward(Tensor input, Tensor? context)
    {
        using var scope = NewDisposeScope();
        var x = input.Plus(attn.call(norm1.call(input)));
        if (_withCrossAttention) x = x.Plus(cross_attn.call(norm_cross_attn.call(x), context));
        x = x.Plus(mlp.call(norm2.call(x)));
        return x.MoveToOuterDisposeScope();
    }
}

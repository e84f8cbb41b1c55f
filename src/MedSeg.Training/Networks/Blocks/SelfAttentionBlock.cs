using MedSeg.Training.Natives;
using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>blocks.SABlock</c>: multi-head self-attention with one fused <c>qkv</c> projection (bias off by
/// default), softmax(q kᵀ / √d) v, and <c>out_proj</c>. Input and output: (batch, tokens, hidden).
/// </summary>
public sealed class SelfAttentionBlock : CompositeModule
{
    private readonly Linear out_proj;
    private readonly Linear qkv;
    private readonly Layers.RunDropout drop_output;
    private readonly Layers.RunDropout drop_weights;
    private readonly long _numHeads;
    private readonly long _headDim;

    public SelfAttentionBlock(long hiddenSize, long numHeads, double dropoutRate = 0.0, bool qkvBias = false)
        : base("SABlock")
    {
        if (dropoutRate is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(dropoutRate), $"dropout_rate should be between 0 and 1, got {dropoutRate}.");
        if (numHeads <= 0 || hiddenSize % numHeads != 0)
            throw new ArgumentException($"hidden size {hiddenSize} should be divisible by num_heads {numHeads}.");
        _numHeads = numHeads;
        _headDim = hiddenSize / numHeads;
        out_proj = nn.Linear(hiddenSize, hiddenSize);
        qkv = nn.Linear(hiddenSize, hiddenSize * 3, hasBias: qkvBias);
        drop_output = new Layers.RunDropout(dropoutRate);
        drop_weights = new Layers.RunDropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long batch = input.shape[0], tokens = input.shape[1];
        // "b n (qkv heads d) -> qkv b heads n d"
        var split = qkv.call(input).view(batch, tokens, 3, _numHeads, _headDim).permute(2, 0, 3, 1, 4);
        var attended = Attention.Apply(split[0], split[1], split[2], _headDim, drop_weights);
        var merged = attended.permute(0, 2, 1, 3).reshape(batch, tokens, _numHeads * _headDim);
        return drop_output.call(out_proj.call(merged)).MoveToOuterDisposeScope();
    }
}

/// <summary>Scaled dot-product attention shared by the attention blocks.</summary>
internal static class Attention
{
    /// <summary>softmax(q kᵀ · d^-½) v over (batch, heads, tokens, d) tensors, with dropout on the weights.</summary>
    public static Tensor Apply(Tensor q, Tensor k, Tensor v, long headDim, Layers.RunDropout weightDropout)
    {
        var weights = matmul(q, k.transpose(-1, -2)).Times(Math.Pow(headDim, -0.5)).softmax(-1);
        return matmul(weightDropout.call(weights), v);
    }
}

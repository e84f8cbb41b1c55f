using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>blocks.CrossAttentionBlock</c>: queries from the input, keys/values from a context (the input itself
/// when none is given), separate <c>to_q</c>/<c>to_k</c>/<c>to_v</c> projections and <c>out_proj</c>.
/// MONAI's TransformerBlock always creates one (so its weights are in every ViT state_dict) but only calls it
/// with <c>with_cross_attention</c>.
/// </summary>
public sealed class CrossAttentionBlock : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear out_proj;
    private readonly Linear to_q;
    private readonly Linear to_k;
    private readonly Linear to_v;
    private readonly Layers.RunDropout drop_output;
    private readonly Layers.RunDropout drop_weights;
    private readonly long _numHeads;
    private readonly long _headDim;

    public CrossAttentionBlock(long hiddenSize, long numHeads, double dropoutRate = 0.0, bool qkvBias = false)
        : base(nameof(CrossAttentionBlock))
    {
        if (dropoutRate is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(dropoutRate), $"dropout_rate should be between 0 and 1, got {dropoutRate}.");
        if (numHeads <= 0 || hiddenSize % numHeads != 0)
            throw new ArgumentException($"hidden size {hiddenSize} should be divisible by num_heads {numHeads}.");
        _numHeads = numHeads;
        _headDim = hiddenSize / numHeads;
        out_proj = nn.Linear(hiddenSize, hiddenSize);
        to_q = nn.Linear(hiddenSize, hiddenSize, hasBias: qkvBias);
        to_k = nn.Linear(hiddenSize, hiddenSize, hasBias: qkvBias);
        to_v = nn.Linear(hiddenSize, hiddenSize, hasBias: qkvBias);
        drop_output = new Layers.RunDropout(dropoutRate);
        drop_weights = new Layers.RunDropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, Tensor? context)
    {
        using var scope = NewDisposeScope();
        var kv = context ?? input;
        long batch = input.shape[0], tokens = input.shape[1], kvTokens = kv.shape[1];
        var q = to_q.call(input).view(batch, tokens, _numHeads, _headDim).transpose(1, 2);
        var k = to_k.call(kv).view(batch, kvTokens, _numHeads, _headDim).transpose(1, 2);
        var v = to_v.call(kv).view(batch, kvTokens, _numHeads, _headDim).transpose(1, 2);
        var attended = Attention.Apply(q, k, v, _headDim, drop_weights);
        var merged = attended.transpose(1, 2).reshape(batch, tokens, _numHeads * _headDim);
        return drop_output.call(out_proj.call(merged)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var child in children()) child.Dispose();
        }
        base.Dispose(disposing);
    }
}

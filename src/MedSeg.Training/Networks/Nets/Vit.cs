using MedSeg.Training.Networks.Blocks;
using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets;

/// <summary>
/// MONAI <c>nets.ViT</c> as UNETR uses it (3D, conv patch embedding, learnable position embedding, no
/// classification head): patch embedding, <c>numLayers</c> transformer blocks, final LayerNorm. Returns the
/// normalised tokens and every block's output (before the norm). Dosovitskiy et al., arXiv:2010.11929.
/// </summary>
public sealed class Vit : CompositeModule<Tensor, (Tensor Output, Tensor[] HiddenStates)>
{
    private readonly PatchEmbeddingBlock patch_embedding;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm norm;

    public Vit(long inChannels, IReadOnlyList<long> imgSize, IReadOnlyList<long> patchSize, long hiddenSize = 768,
        long mlpDim = 3072, int numLayers = 12, long numHeads = 12, double dropoutRate = 0.0, bool qkvBias = false)
        : base("ViT")
    {
        if (dropoutRate is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(dropoutRate), $"dropout_rate should be between 0 and 1, got {dropoutRate}.");
        if (numHeads <= 0 || hiddenSize % numHeads != 0)
            throw new ArgumentException($"hidden_size {hiddenSize} should be divisible by num_heads {numHeads}.");
        if (numLayers <= 0)
            throw new ArgumentOutOfRangeException(nameof(numLayers), $"num_layers must be positive, got {numLayers}.");
        patch_embedding = new PatchEmbeddingBlock(inChannels, imgSize, patchSize, hiddenSize, numHeads, dropoutRate);
        blocks = new ModuleList<TransformerBlock>();
        for (int i = 0; i < numLayers; i++) blocks.Add(new TransformerBlock(hiddenSize, mlpDim, numHeads, dropoutRate, qkvBias));
        norm = nn.LayerNorm(hiddenSize);
        RegisterComponents();
    }

    public override (Tensor Output, Tensor[] HiddenStates) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = patch_embedding.call(input);
        var hidden = new Tensor[blocks.Count];
        for (int i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].call(x);
            hidden[i] = x;
        }
        var output = norm.call(x).MoveToOuterDisposeScope();
        foreach (var h in hidden) h.MoveToOuterDisposeScope();
        return (output, hidden);
    }
}

using MedSeg.Training.Natives;
using MedSeg.Training.Networks.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>blocks.PatchEmbeddingBlock</c> with <c>proj_type="conv"</c> and a learnable position embedding (3D):
/// a patch-size-strided convolution (<c>patch_embeddings</c>) flattened to (batch, patches, hidden) plus
/// <c>position_embeddings</c> (1, patches, hidden), truncated-normal(0, 0.02) initialised, then dropout.
/// </summary>
public sealed class PatchEmbeddingBlock : CompositeModule
{
    private readonly Parameter position_embeddings;
    private readonly Conv3d patch_embeddings;
    private readonly Layers.RunDropout dropout;

    public long PatchCount { get; }

    public PatchEmbeddingBlock(long inChannels, IReadOnlyList<long> imgSize, IReadOnlyList<long> patchSize, long hiddenSize,
        long numHeads, double dropoutRate = 0.0) : base(nameof(PatchEmbeddingBlock))
    {
        if (dropoutRate is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(dropoutRate), $"dropout_rate {dropoutRate} should be between 0 and 1.");
        if (numHeads <= 0 || hiddenSize % numHeads != 0)
            throw new ArgumentException($"hidden size {hiddenSize} should be divisible by num_heads {numHeads}.");
        if (imgSize.Count != 3 || patchSize.Count != 3)
            throw new ArgumentException($"img_size and patch_size need 3 values, got {imgSize.Count} and {patchSize.Count}.");
        for (int i = 0; i < 3; i++)
        {
            if (patchSize[i] <= 0 || imgSize[i] < patchSize[i])
                throw new ArgumentException($"patch_size should be smaller than img_size (axis {i}: patch {patchSize[i]}, image {imgSize[i]}).");
        }
        PatchCount = imgSize.Zip(patchSize, (m, p) => m / p).Aggregate(1L, (a, b) => a * b);

        patch_embeddings = nn.Conv3d(inChannels, hiddenSize, (patchSize[0], patchSize[1], patchSize[2]),
            stride: (patchSize[0], patchSize[1], patchSize[2]));
        position_embeddings = new Parameter(zeros(1, PatchCount, hiddenSize));
        using (no_grad()) nn.init.trunc_normal_(position_embeddings, mean: 0.0, std: 0.02, a: -2.0, b: 2.0);
        dropout = new Layers.RunDropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var patches = patch_embeddings.call(input).flatten(2).transpose(-1, -2);
        return dropout.call(patches.Plus(position_embeddings)).MoveToOuterDisposeScope();
    }
}

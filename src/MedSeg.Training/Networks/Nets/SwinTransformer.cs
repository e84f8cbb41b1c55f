using MedSeg.Training.Networks.Blocks;
using MedSeg.Training.Benchmarks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using MedSeg.Training.Networks.Layers;

namespace MedSeg.Training.Networks.Nets;

/// <summary>
/// The Swin Transformer encoder of SwinUNETR (MONAI's <c>SwinTransformer</c>, key prefix
/// <c>swinViT.</c>): patch embedding and four <see cref="BasicLayer"/> stages held as
/// <c>layers1.0</c> … <c>layers4.0</c>; with <c>useV2</c> a residual conv block
/// (<c>layers{i}c.0</c>, <see cref="UnetrBasicBlock"/>) runs before each stage (Swin UNETR v2,
/// He et al., https://arxiv.org/abs/2306.10219 — no published key change otherwise).
/// <see cref="Encode"/> returns the five feature maps <c>[embed, stage1..stage4]</c>, each optionally
/// layer-normalised over channels without affine parameters.
/// </summary>
public sealed class SwinTransformer : CompositeModule<Tensor, Tensor[]>
{
    private readonly PatchEmbed patch_embed;
    private readonly Layers.RunDropout pos_drop;
    private readonly ModuleList<BasicLayer> layers1;
    private readonly ModuleList<BasicLayer> layers2;
    private readonly ModuleList<BasicLayer> layers3;
    private readonly ModuleList<BasicLayer> layers4;
    private readonly ModuleList<UnetrBasicBlock>? layers1c;
    private readonly ModuleList<UnetrBasicBlock>? layers2c;
    private readonly ModuleList<UnetrBasicBlock>? layers3c;
    private readonly ModuleList<UnetrBasicBlock>? layers4c;

    /// <summary>Number of stages; MONAI's forward hard-wires four.</summary>
    public const int Stages = 4;

    public SwinTransformer(long inChannels, long embedDim, IReadOnlyList<long> window, long patchSize,
        IReadOnlyList<int> depths, IReadOnlyList<int> numHeads, double mlpRatio = 4.0, bool qkvBias = true,
        double dropRate = 0.0, double attnDropRate = 0.0, double dropPathRate = 0.0, bool patchNorm = false,
        int spatialDims = 3, PatchMergingMode downsample = PatchMergingMode.Merging, bool useV2 = false)
        : base(nameof(SwinTransformer))
    {
        if (depths.Count != Stages || numHeads.Count != Stages)
            throw new ArgumentException($"depths and num_heads need {Stages} entries (got {depths.Count} and {numHeads.Count}).");
        patch_embed = new PatchEmbed(patchSize, inChannels, embedDim, spatialDims, patchNorm);
        pos_drop = new Layers.RunDropout(dropRate);

        // Stochastic depth grows linearly over all blocks (torch.linspace(0, rate, sum(depths))).
        int total = depths.Sum();
        var dpr = Enumerable.Range(0, total).Select(i => total == 1 ? 0.0 : dropPathRate * i / (total - 1)).ToArray();
        var stages = new BasicLayer[Stages];
        var convs = new UnetrBasicBlock[Stages];
        int offset = 0;
        for (int i = 0; i < Stages; i++)
        {
            long dim = embedDim << i;
            stages[i] = new BasicLayer(dim, depths[i], numHeads[i], window, dpr.Skip(offset).Take(depths[i]).ToArray(),
                mlpRatio, qkvBias, dropRate, attnDropRate, downsample);
            offset += depths[i];
            if (useV2) convs[i] = new UnetrBasicBlock(dim, dim, 3, 1, "instance", resBlock: true);
        }
        layers1 = new ModuleList<BasicLayer>(stages[0]);
        layers2 = new ModuleList<BasicLayer>(stages[1]);
        layers3 = new ModuleList<BasicLayer>(stages[2]);
        layers4 = new ModuleList<BasicLayer>(stages[3]);
        if (useV2)
        {
            layers1c = new ModuleList<UnetrBasicBlock>(convs[0]);
            layers2c = new ModuleList<UnetrBasicBlock>(convs[1]);
            layers3c = new ModuleList<UnetrBasicBlock>(convs[2]);
            layers4c = new ModuleList<UnetrBasicBlock>(convs[3]);
        }
        RegisterComponents();
    }

    /// <summary>Five feature maps with per-position channel LayerNorm (MONAI default <c>normalize=True</c>).</summary>
    public override Tensor[] forward(Tensor x) => Encode(x, normalize: true);

    /// <summary>Patch embedding and four stages; returns <c>[x0, x1, x2, x3, x4]</c> channel-first.</summary>
    public Tensor[] Encode(Tensor x, bool normalize)
    {
        using var scope = NewDisposeScope();
        var stages = new[] { layers1, layers2, layers3, layers4 };
        var convs = new[] { layers1c, layers2c, layers3c, layers4c };
        var outputs = new Tensor[Stages + 1];
        Tensor h;
        using (CpuProfile.Measure("swin patch embedding")) h = pos_drop.call(patch_embed.call(x));
        using (CpuProfile.Measure("swin proj_out (layer norm)")) outputs[0] = ProjectOut(h, normalize);
        for (int i = 0; i < Stages; i++)
        {
            if (convs[i] is { } conv) h = conv[0].call(h.contiguous());
            using (CpuProfile.Measure($"swin stage {i + 1}")) h = stages[i][0].call(h.contiguous());
            using (CpuProfile.Measure("swin proj_out (layer norm)")) outputs[i + 1] = ProjectOut(h, normalize);
        }
        foreach (var o in outputs) o.MoveToOuterDisposeScope();
        return outputs;
    }

    /// <summary>MONAI's <c>proj_out</c>: LayerNorm over channels (no weights, eps 1e-5) if asked.</summary>
    private static Tensor ProjectOut(Tensor x, bool normalize)
    {
        if (!normalize) return x.alias();
        int k = (int)x.dim() - 2;
        var toLast = new long[k + 2];
        toLast[0] = 0;
        for (int i = 0; i < k; i++) toLast[i + 1] = i + 2;
        toLast[k + 1] = 1;
        var toFirst = new long[k + 2];
        toFirst[0] = 0;
        toFirst[1] = k + 1;
        for (int i = 0; i < k; i++) toFirst[i + 2] = i + 1;
        var last = x.permute(toLast);
        return nn.functional.layer_norm(last, new[] { x.shape[1] }).permute(toFirst);
    }
}

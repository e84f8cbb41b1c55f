using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// LWI's order-prediction heads, one Linear(channels, chunks) per tapped feature map (<c>order_heads.i</c>):
/// UNETR — its hidden states 3, 6, 9 (the ones UNETR's skips read) and the final normed output, all of width hidden;
/// SwinUNETR — its four encoder stages (2f, 4f, 8f, 16f channels), as the authors' UNETR++ variant.
/// </summary>
public sealed class LwiOrderHeads : CompositeModule<Tensor[], Tensor[]>
{
    private readonly ModuleList<Linear> order_heads;

    public LwiOrderHeads(IReadOnlyList<long> channels, int chunks) : base("LwiOrderHeads")
    {
        order_heads = new ModuleList<Linear>();
        foreach (var c in channels) order_heads.Add(nn.Linear(c, chunks));
        Chunks = chunks;
        RegisterComponents();
    }

    public int Chunks { get; }
    public int Count => order_heads.Count;

    /// <summary>Pooled features [B, chunks, C_i] per head → logits [B, chunks, chunks] per head.</summary>
    public override Tensor[] forward(Tensor[] pooled)
    {
        if (pooled.Length != order_heads.Count) throw new ArgumentException($"{order_heads.Count} order heads, {pooled.Length} feature maps.");
        return pooled.Select((p, i) => order_heads[i].forward(p)).ToArray();
    }
}

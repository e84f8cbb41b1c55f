using MedSeg.Training.Natives;
using MedSeg.Training.Networks;
using MedSeg.Training.Networks.Nets;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// LWI's loss: α_rec · MSE(network output, shuffled unmasked volume) + α_order · Σ_heads CE(order logits per slot,
/// original chunk index). The backbone's own output layer is the reconstruction head (out_channels = in_channels).
/// </summary>
public sealed class LwiObjective : IMethodObjective
{
    private readonly LwiOrderHeads _heads;

    /// <param name="poolAxis">Tensor spatial axis the chunks lie on (0..2) — the depth axis, or 0 in code-compatible mode.</param>
    public LwiObjective(LwiOrderHeads heads, int poolAxis, double recWeight = 1.0, double orderWeight = 1.0)
    {
        _heads = heads;
        PoolAxis = poolAxis;
        RecWeight = recWeight;
        OrderWeight = orderWeight;
    }

    public int PoolAxis { get; }
    public double RecWeight { get; }
    public double OrderWeight { get; }
    public nn.Module? Heads => _heads;

    /// <summary>Heads for <paramref name="backbone"/>: UNETR (4 × hidden) or SwinUNETR (stages 1..4).</summary>
    public static LwiOrderHeads HeadsFor(nn.Module backbone, int chunks) => backbone switch
    {
        Unetr u => new LwiOrderHeads(Enumerable.Repeat(u.HiddenSize, 4).ToArray(), chunks),
        SwinUnetr s => new LwiOrderHeads(Enumerable.Range(1, 4).Select(i => s.FeatureSize << i).ToArray(), chunks),
        _ => throw new ArgumentException($"LWI needs a UNETR or SwinUNETR backbone, got {backbone.GetName()}."),
    };

    /// <summary>The network's output and the feature maps the order heads read, [B, C, A0, A1, A2] each.</summary>
    public static (Tensor Output, Tensor[] Maps) Forward(nn.Module<Tensor, Tensor> backbone, Tensor input)
    {
        switch (backbone)
        {
            case Unetr u:
            {
                var (output, hidden, final) = u.ForwardWithTokens(input);
                var maps = new[] { hidden[3], hidden[6], hidden[9], final }.Select(t => ChunkPooling.TokensToMap(t, u.TokenGrid)).ToArray();
                return (output, maps);
            }
            case SwinUnetr s:
            {
                var (output, stages) = s.ForwardWithStages(input);
                return (output, stages[1..]);
            }
            default:
                throw new ArgumentException($"LWI needs a UNETR or SwinUNETR backbone, got {backbone.GetName()}.");
        }
    }

    public LossTerms Compute(nn.Module<Tensor, Tensor> backbone, BatchTensors batch)
    {
        var target = batch.Extra(LwiBatch.TargetName);
        var order = batch.Extra(LwiBatch.OrderName);
        var (output, maps) = Forward(backbone, batch.Images);
        var rec = nn.functional.mse_loss(output, target);
        var logits = _heads.forward(maps.Select(m => ChunkPooling.PerChunk(m, PoolAxis, _heads.Chunks)).ToArray());
        var flatOrder = order.reshape(-1);
        Tensor orderLoss = logits.Select(l => nn.functional.cross_entropy(l.reshape(-1, _heads.Chunks), flatOrder))
            .Aggregate((a, b) => a.Plus(b));
        var total = ScalarSafe.WeightedSum(RecWeight, rec, OrderWeight, orderLoss);
        return new LossTerms(total, new Dictionary<string, Tensor> { ["loss_rec"] = rec, ["loss_order"] = orderLoss });
    }

    public void Dispose() => _heads.Dispose();
}

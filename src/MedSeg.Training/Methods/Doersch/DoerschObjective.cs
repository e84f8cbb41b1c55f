using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Networks.Nets.Context;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.Doersch;

/// <summary>
/// The 3D Doersch task: the <see cref="DoerschNet"/> backbone describes both cubes, the <see cref="DoerschDecodeNet"/> head
/// classifies the neighbour's position (6 classes), cross-entropy. Batch extras: <see cref="DoerschBatchArrays"/>.
/// </summary>
public sealed class DoerschObjective : IMethodObjective
{
    private readonly DoerschDecodeNet _head = new();

    public nn.Module? Heads => _head;

    public LossTerms Compute(nn.Module<Tensor, Tensor> backbone, BatchTensors batch)
    {
        var f1 = backbone.call(batch.Extra(DoerschBatchArrays.Cubes1));
        var f2 = backbone.call(batch.Extra(DoerschBatchArrays.Cubes2));
        var logits = _head.call(f1, f2).view(-1, DoerschNeighbour.Classes);
        return LossTerms.Single(nn.functional.cross_entropy(logits, batch.Extra(DoerschBatchArrays.Labels)));
    }

    public void Dispose() => _head.Dispose();
}

/// <summary>The names and tensors of a <see cref="DoerschPairBatch"/>'s arrays.</summary>
public static class DoerschBatchArrays
{
    /// <summary>[B, 1, 25, 25, 25] float: the cubes, sampled in the volume's own (x, y, z) frame (no axis reordering).</summary>
    public const string Cubes1 = "cubes1", Cubes2 = "cubes2";

    /// <summary>[B] int64: the neighbour class 0..5.</summary>
    public const string Labels = "labels";

    public static Dictionary<string, Tensor> ToTensors(DoerschPairBatch batch, Device device) => new()
    {
        [Cubes1] = tensor(batch.Cubes1, batch.CubeShape).to(device),
        [Cubes2] = tensor(batch.Cubes2, batch.CubeShape).to(device),
        [Labels] = tensor(batch.Labels, [batch.BatchSize]).to(device),
    };
}

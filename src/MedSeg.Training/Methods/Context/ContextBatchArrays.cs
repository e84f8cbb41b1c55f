using MedSeg.Core.ContextFeatures;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.Context;

/// <summary>The names and tensors of a <see cref="ContextPairBatch"/>'s arrays as the objective reads them.</summary>
public static class ContextBatchArrays
{
    /// <summary>[3, B, 3, 42, 42] float: the first / second patch of each pair, per axis.</summary>
    public const string Patches1 = "patches1", Patches2 = "patches2";

    /// <summary>[3, B, 2] float: the heat map's (row, column) offsets.</summary>
    public const string HeatOffsets = "heat_offsets";

    /// <summary>[3, B, 2] float: REG2D targets.</summary>
    public const string RegTargets = "reg_targets";

    /// <summary>The batch as tensors on <paramref name="device"/> (patches are not volumes: no axis reordering applies).</summary>
    public static Dictionary<string, Tensor> ToTensors(ContextPairBatch batch, Device device) => new()
    {
        [Patches1] = tensor(batch.Patches1, batch.PatchShape).to(device),
        [Patches2] = tensor(batch.Patches2, batch.PatchShape).to(device),
        [HeatOffsets] = tensor(batch.HeatOffsets, [ContextPairBatch.Axes, batch.BatchSize, 2]).to(device),
        [RegTargets] = tensor(batch.RegTargets, [ContextPairBatch.Axes, batch.BatchSize, 2]).to(device),
    };
}

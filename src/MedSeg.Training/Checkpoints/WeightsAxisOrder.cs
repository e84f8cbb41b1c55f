using MedSeg.Training.Layout;
using MedSeg.Training.Networks;

namespace MedSeg.Training.Checkpoints;

/// <summary>
/// The axis order a weights file was trained in, and how we know. <see cref="Recorded"/> orders (model.safetensors
/// metadata, or a checkpoint's state.json) win over any flag; the rest are implied: a MedSeg checkpoint from before the
/// order was recorded is <see cref="AxisOrders.Legacy"/> (every such run trained in buffer order), any other file is
/// taken as MONAI weights (<see cref="AxisOrders.Default"/>).
/// </summary>
public sealed record WeightsAxisOrder(AxisOrder Order, bool Recorded, string Reason)
{
    /// <param name="weightsFile">A model.safetensors (ours or converted from MONAI).</param>
    /// <param name="medSegRun">The file was found through a MedSeg run folder, so it is ours even without a state.json.</param>
    /// <exception cref="InvalidDataException">The metadata or state.json names no valid order.</exception>
    public static WeightsAxisOrder Of(string weightsFile, bool medSegRun = false)
    {
        if (ModelCheckpoint.ReadAxisOrder(weightsFile) is { } meta)
            return new(meta, true, $"recorded in its metadata '{AxisOrders.MetadataKey}'");
        var folder = Path.GetDirectoryName(Path.GetFullPath(weightsFile))!;
        bool checkpoint = File.Exists(Path.Combine(folder, CheckpointStore.StateFile));
        if (checkpoint && CheckpointStore.ReadState(folder).AxisOrder is { } state)
            return new(state, true, $"recorded in its checkpoint's {CheckpointStore.StateFile}");
        if (checkpoint || medSegRun)
            return new(AxisOrders.Legacy, false, "a MedSeg checkpoint from before axis orders were recorded, all trained in Zyx");
        return new(AxisOrders.Default, false, "it records no axis order, so it is taken as MONAI weights");
    }

    /// <summary>
    /// The order to use: <paramref name="requested"/> unless it contradicts a recorded order (refused with the fix named).
    /// </summary>
    /// <param name="source">How the error names the flag, e.g. "--axis-order".</param>
    public AxisOrder Apply(AxisOrder? requested, string weightsFile, string source = "--axis-order")
    {
        if (requested is not { } wanted) return Order;
        if (Recorded && wanted != Order)
            throw new ArgumentException(
                $"{source} {wanted.ToCliName()} contradicts '{weightsFile}', which was trained with {Order} {Order.Describe()} ({Reason}): "
                + $"its kernels would be applied transposed. Leave {source} out or pass {Order.ToCliName()}.");
        return wanted;
    }
}

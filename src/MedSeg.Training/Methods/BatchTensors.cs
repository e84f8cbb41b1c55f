using MedSeg.Training.Data;
using MedSeg.Training.Devices;
using MedSeg.Training.Layout;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods;

/// <summary>
/// One batch on the device: <see cref="Images"/> [B, C, …] and, for segmentation-style methods, <see cref="Labels"/>
/// [B, 1, …] int64, both in the run's axis order; <see cref="Extras"/> holds the method's other arrays by name
/// (spatial ones converted to the axis order like the images, others as built).
/// </summary>
public sealed record BatchTensors(Tensor Images, Tensor? Labels, IReadOnlyDictionary<string, Tensor> Extras)
{
    public Tensor Extra(string name) => Extras.TryGetValue(name, out var t)
        ? t
        : throw new KeyNotFoundException($"The batch has no array '{name}' (it has: {string.Join(", ", Extras.Keys)}).");

    /// <summary>
    /// The tensors of a CPU <see cref="Batch"/> in <paramref name="order"/> on <paramref name="device"/>; call inside a dispose
    /// scope (the loop's training step), which releases them.
    /// </summary>
    public static BatchTensors From(Batch batch, AxisOrder order, Device device) => From(batch, order, new DeviceTransfer(device));

    /// <summary>As above, through <paramref name="transfer"/> (pinned, non-blocking copies on CUDA).</summary>
    public static BatchTensors From(Batch batch, AxisOrder order, DeviceTransfer transfer)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(transfer);
        var images = transfer.ToDevice(TensorLayout.FromBuffer(batch.Images, batch.Shape, order));
        var labels = batch.Labels is null ? null : transfer.ToDevice(TensorLayout.FromBuffer(batch.Labels, batch.LabelShape, order));
        var extras = new Dictionary<string, Tensor>(batch.Extras.Count);
        foreach (var (name, array) in batch.Extras) extras[name] = transfer.ToDevice(ToTensor(array, order));
        return new BatchTensors(images, labels, extras);
    }

    private static Tensor ToTensor(BatchArray a, AxisOrder order) => (a.Data, a.Spatial) switch
    {
        (float[] f, true) => TensorLayout.FromBuffer(f, a.Shape, order),
        (long[] l, true) => TensorLayout.FromBuffer(l, a.Shape, order),
        (float[] f, false) => tensor(f, a.Shape),
        (long[] l, false) => tensor(l, a.Shape),
        _ => throw new ArgumentException($"Batch arrays hold float[] or long[], got {a.Data.GetType().Name}."),
    };
}

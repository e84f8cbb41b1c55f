using MedSeg.Core.Volumes;
using MedSeg.Training.Layout;
using static TorchSharp.torch;

namespace MedSeg.Training.Inference;

/// <summary>
/// Volume ↔ tensor for inference; a thin front of <see cref="TensorLayout"/> (the one conversion helper). The default
/// <see cref="AxisOrder.Zyx"/> is the buffer order (spatial axes Z, Y, X; X fastest); pass the model's recorded order
/// so it sees images at inference as it did in training.
/// </summary>
public static class VolumeTensors
{
    /// <summary>The image as float32 [1, 1, *spatial] (Z, Y, X by default) on <paramref name="device"/> (CPU by default).</summary>
    public static Tensor ToImageTensor(Volume volume, Device? device = null, AxisOrder order = AxisOrder.Zyx) =>
        TensorLayout.ImageTensor(volume, order, device);

    /// <summary>
    /// A label map [*spatial] (or [1, *spatial]) of class indices 0..255 in <paramref name="order"/> as a uint8 volume
    /// with <paramref name="geometry"/>'s spacing and affine.
    /// </summary>
    public static Volume ToLabelVolume(Tensor labels, Volume geometry, AxisOrder order = AxisOrder.Zyx) =>
        TensorLayout.LabelVolume(labels, geometry, order);

    /// <summary>A label map as int64 [*spatial] (Z, Y, X by default) of class indices; non-integer or negative values are rejected.</summary>
    public static Tensor ToLabelTensor(Volume labels, Device? device = null, AxisOrder order = AxisOrder.Zyx) =>
        TensorLayout.LabelTensor(labels, order, device);
}

using MedSeg.Core.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Layout;

/// <summary>
/// The one place where volume data becomes a network tensor and back, for either <see cref="AxisOrder"/>.
/// Data arrives in buffer order (spatial axes Z, Y, X; X fastest); <see cref="AxisOrder.MonaiXyz"/> reverses the
/// three spatial axes, so tensor[.., x, y, z] = volume(x, y, z) as in MONAI. The reversal is its own inverse.
/// Training batches, fine-tuning, validation, sliding-window prediction and kNN evaluation all go through here.
/// </summary>
public static class TensorLayout
{
    /// <summary>A tensor whose last three axes are (Z, Y, X) in <paramref name="order"/>'s layout (contiguous).</summary>
    public static Tensor FromBufferOrder(Tensor zyx, AxisOrder order) => Reorder(zyx, order);

    /// <summary>A tensor in <paramref name="order"/>'s layout back to (Z, Y, X) on its last three axes (contiguous).</summary>
    public static Tensor ToBufferOrder(Tensor tensor, AxisOrder order) => Reorder(tensor, order);

    /// <summary>Spatial sizes listed as (Z, Y, X) (e.g. a window or patch size) in tensor order.</summary>
    public static int[] SpatialFromZyx(IReadOnlyList<int> zyx, AxisOrder order)
    {
        if (zyx is null || zyx.Count != 3) return zyx?.ToArray()!; // a broadcast single size is the same either way
        return order == AxisOrder.MonaiXyz ? [zyx[2], zyx[1], zyx[0]] : [zyx[0], zyx[1], zyx[2]];
    }

    /// <summary>The volume's spatial shape in tensor order.</summary>
    public static long[] SpatialShape(Volume volume, AxisOrder order) =>
        order == AxisOrder.MonaiXyz
            ? [volume.SizeX, volume.SizeY, volume.SizeZ]
            : [volume.SizeZ, volume.SizeY, volume.SizeX];

    /// <summary>Plain buffer data of shape <paramref name="zyxShape"/> (last three axes Z, Y, X) as a tensor in <paramref name="order"/>.</summary>
    public static Tensor FromBuffer(float[] data, long[] zyxShape, AxisOrder order) => Own(tensor(data, zyxShape), order);

    /// <inheritdoc cref="FromBuffer(float[], long[], AxisOrder)"/>
    public static Tensor FromBuffer(long[] data, long[] zyxShape, AxisOrder order) => Own(tensor(data, zyxShape), order);

    /// <summary>The image as float32 [1, 1, *spatial] in <paramref name="order"/> on <paramref name="device"/> (CPU by default).</summary>
    public static Tensor ImageTensor(Volume volume, AxisOrder order, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var values = volume.Data as float[] ?? ToFloats(volume);
        var t = FromBuffer(values, [1, 1, volume.SizeZ, volume.SizeY, volume.SizeX], order);
        return OnDevice(t, device);
    }

    /// <summary>A label map as int64 [*spatial] of class indices in <paramref name="order"/>; non-integer or negative values are rejected.</summary>
    public static Tensor LabelTensor(Volume labels, AxisOrder order, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var values = new long[labels.VoxelCount];
        for (long i = 0; i < values.LongLength; i++)
        {
            double v = labels.GetDouble(i);
            if (!(v >= 0) || v != Math.Floor(v))
                throw new ArgumentException($"Label value {v} at voxel index {i} is not a non-negative class index.");
            values[i] = (long)v;
        }
        return OnDevice(FromBuffer(values, [labels.SizeZ, labels.SizeY, labels.SizeX], order), device);
    }

    /// <summary>
    /// A label map [*spatial] (or [1, *spatial]) in <paramref name="order"/> of class indices 0..255 as a uint8 volume
    /// with <paramref name="geometry"/>'s size, spacing and affine.
    /// </summary>
    public static Volume LabelVolume(Tensor labels, Volume geometry, AxisOrder order)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(geometry);
        using var scope = NewDisposeScope();
        var l = labels.dim() == 4 && labels.shape[0] == 1 ? labels[0] : labels;
        long[] expected = SpatialShape(geometry, order);
        if (!l.shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"Label tensor shape [{string.Join(", ", labels.shape)}] does not match the image {order.Describe()} = [{string.Join(", ", expected)}] (axis order {order}).");
        if (l.numel() > 0)
        {
            long min = l.min().item<long>(), max = l.max().item<long>();
            if (min < 0 || max > byte.MaxValue)
                throw new ArgumentException($"Label values span {min}..{max}; a uint8 label map holds 0..255.");
        }
        var bytes = ToBufferOrder(l.to(ScalarType.Byte).cpu(), order).data<byte>().ToArray();
        return new Volume(geometry.SizeX, geometry.SizeY, geometry.SizeZ, bytes,
            (double[])geometry.Spacing.Clone(), (double[])geometry.Affine.Clone());
    }

    private static Tensor Reorder(Tensor t, AxisOrder order)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.dim() < 3) throw new ArgumentException($"A tensor with three spatial axes is needed, got shape [{string.Join(", ", t.shape)}].");
        if (order == AxisOrder.Zyx) return t.contiguous();
        long d = t.dim();
        var axes = new long[d];
        for (long i = 0; i < d - 3; i++) axes[i] = i;
        axes[d - 3] = d - 1; axes[d - 2] = d - 2; axes[d - 1] = d - 3;
        return t.permute(axes).contiguous();
    }

    /// <summary>Reorders a freshly made tensor, releasing the intermediate (no copy at all for <see cref="AxisOrder.Zyx"/>).</summary>
    private static Tensor Own(Tensor fresh, AxisOrder order)
    {
        if (order == AxisOrder.Zyx) return fresh;
        using (fresh) return Reorder(fresh, order);
    }

    private static Tensor OnDevice(Tensor t, Device? device) =>
        device is null || device.type == DeviceType.CPU ? t : t.to(device);

    private static float[] ToFloats(Volume volume)
    {
        var values = new float[volume.VoxelCount];
        for (long i = 0; i < values.LongLength; i++) values[i] = (float)volume.GetDouble(i);
        return values;
    }
}

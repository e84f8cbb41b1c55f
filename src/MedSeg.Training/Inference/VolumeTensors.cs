using MedSeg.Core.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Inference;

/// <summary>
/// Volume ↔ tensor in buffer order: spatial axes (Z, Y, X), X fastest — the layout the trainer's
/// patch extractor feeds networks, so a trained model sees images at inference as it did in training.
/// </summary>
public static class VolumeTensors
{
    /// <summary>The image as float32 [1, 1, Z, Y, X] on <paramref name="device"/> (CPU by default).</summary>
    public static Tensor ToImageTensor(Volume volume, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var values = volume.Data as float[] ?? ToFloats(volume);
        var shape = new long[] { 1, 1, volume.SizeZ, volume.SizeY, volume.SizeX };
        var t = tensor(values, shape);
        return device is null || device.type == DeviceType.CPU ? t : t.to(device);
    }

    /// <summary>
    /// A label map [Z, Y, X] (or [1, Z, Y, X]) of class indices 0..255 as a uint8 volume with
    /// <paramref name="geometry"/>'s spacing and affine.
    /// </summary>
    public static Volume ToLabelVolume(Tensor labels, Volume geometry)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(geometry);
        using var scope = NewDisposeScope();
        var l = labels.dim() == 4 && labels.shape[0] == 1 ? labels[0] : labels;
        long[] expected = [geometry.SizeZ, geometry.SizeY, geometry.SizeX];
        if (!l.shape.SequenceEqual(expected))
            throw new ArgumentException($"Label tensor shape [{string.Join(", ", labels.shape)}] does not match the image (Z, Y, X) = [{string.Join(", ", expected)}].");
        if (l.numel() > 0)
        {
            long min = l.min().item<long>(), max = l.max().item<long>();
            if (min < 0 || max > byte.MaxValue)
                throw new ArgumentException($"Label values span {min}..{max}; a uint8 label map holds 0..255.");
        }
        var bytes = l.to(ScalarType.Byte).cpu().contiguous().data<byte>().ToArray();
        return new Volume(geometry.SizeX, geometry.SizeY, geometry.SizeZ, bytes,
            (double[])geometry.Spacing.Clone(), (double[])geometry.Affine.Clone());
    }

    /// <summary>A label map as int64 [Z, Y, X] of class indices; non-integer or negative values are rejected.</summary>
    public static Tensor ToLabelTensor(Volume labels, Device? device = null)
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
        var t = tensor(values, new long[] { labels.SizeZ, labels.SizeY, labels.SizeX });
        return device is null || device.type == DeviceType.CPU ? t : t.to(device);
    }

    private static float[] ToFloats(Volume volume)
    {
        var values = new float[volume.VoxelCount];
        for (long i = 0; i < values.LongLength; i++) values[i] = (float)volume.GetDouble(i);
        return values;
    }
}

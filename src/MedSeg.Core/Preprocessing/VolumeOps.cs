using MedSeg.Core.Volumes;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Exact geometric operations without interpolation — crop, flip, 90° rotation in the axial plane — each keeping
/// every voxel's world position by updating the affine (and spacing for rotations).
/// </summary>
public static class VolumeOps
{
    public static Volume Crop(Volume volume, CropBox box)
    {
        ArgumentNullException.ThrowIfNull(box);
        int[] shape = [volume.SizeX, volume.SizeY, volume.SizeZ];
        for (int d = 0; d < 3; d++)
            if (box.Start[d] < 0 || box.End[d] > shape[d] || box.End[d] <= box.Start[d])
                throw new ArgumentOutOfRangeException(nameof(box), $"Crop box {box} does not fit a {string.Join("×", shape)} volume.");
        return VoxelRemap.Apply(volume, box.Size, [1, 0, 0, 0, 1, 0, 0, 0, 1], box.Start);
    }

    /// <summary>Reverses the voxel order along <paramref name="axis"/> (0 = x, 1 = y, 2 = z).</summary>
    public static Volume Flip(Volume volume, int axis)
    {
        if (axis is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0, 1 or 2.");
        int[] shape = [volume.SizeX, volume.SizeY, volume.SizeZ];
        int[] p = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        int[] q = [0, 0, 0];
        p[axis * 4] = -1;
        q[axis] = shape[axis] - 1;
        return VoxelRemap.Apply(volume, shape, p, q);
    }

    /// <summary>
    /// Rotates k quarter turns in the x-y (axial) plane, as numpy <c>rot90(a, k, axes=(0, 1))</c> (MONAI Rotate90
    /// with spatial_axes=(0, 1)): one turn maps out[a, b] = in[b, Ny − 1 − a], shape (Ny, Nx, Nz). k may be negative.
    /// </summary>
    public static Volume Rotate90(Volume volume, int k)
    {
        k = ((k % 4) + 4) % 4;
        for (int t = 0; t < k; t++)
            volume = VoxelRemap.Apply(volume, [volume.SizeY, volume.SizeX, volume.SizeZ],
                [0, 1, 0, -1, 0, 0, 0, 0, 1], [0, volume.SizeY - 1, 0]);
        return volume;
    }

    /// <summary>
    /// Pads with a constant so every axis is at least <paramref name="minShape"/>, as MONAI <c>SpatialPad</c>
    /// (method "symmetric": floor(extra/2) before, the rest after). The affine moves its origin so existing voxels
    /// keep their world positions. Returns the volume itself when nothing is needed.
    /// </summary>
    public static Volume PadTo(Volume volume, int[] minShape, double value = 0)
    {
        int[] shape = [volume.SizeX, volume.SizeY, volume.SizeZ];
        int[] outShape = [Math.Max(shape[0], minShape[0]), Math.Max(shape[1], minShape[1]), Math.Max(shape[2], minShape[2])];
        if (outShape.SequenceEqual(shape)) return volume;
        int[] before = [(outShape[0] - shape[0]) / 2, (outShape[1] - shape[1]) / 2, (outShape[2] - shape[2]) / 2];
        Array data = Array.CreateInstance(volume.Type.ClrType(), (long)outShape[0] * outShape[1] * outShape[2]);
        if (value != 0)
        {
            object fill = Convert.ChangeType(value, volume.Type.ClrType(), System.Globalization.CultureInfo.InvariantCulture);
            for (long i = 0; i < data.LongLength; i++) data.SetValue(fill, i);
        }
        for (int z = 0; z < shape[2]; z++)
            for (int y = 0; y < shape[1]; y++)
                Array.Copy(volume.Data, volume.Index(0, y, z), data,
                    before[0] + (long)outShape[0] * (before[1] + y + (long)outShape[1] * (before[2] + z)), shape[0]);
        var linear = AffineMath.Linear(volume.Affine);
        var shift = AffineMath.Apply(linear, [before[0], before[1], before[2]]);
        var t = AffineMath.Translation(volume.Affine);
        var affine = AffineMath.Compose(linear, [t[0] - shift[0], t[1] - shift[1], t[2] - shift[2]]);
        return new Volume(outShape[0], outShape[1], outShape[2], data, volume.Spacing.ToArray(), affine);
    }

    internal static void RequireSameShape(Volume image, Volume? label, string operation)
    {
        if (label is not null && (label.SizeX, label.SizeY, label.SizeZ) != (image.SizeX, image.SizeY, image.SizeZ))
            throw new ArgumentException(
                $"{operation}: label is {label.SizeX}×{label.SizeY}×{label.SizeZ} but the image is {image.SizeX}×{image.SizeY}×{image.SizeZ}.");
    }
}

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

    internal static void RequireSameShape(Volume image, Volume? label, string operation)
    {
        if (label is not null && (label.SizeX, label.SizeY, label.SizeZ) != (image.SizeX, image.SizeY, image.SizeZ))
            throw new ArgumentException(
                $"{operation}: label is {label.SizeX}×{label.SizeY}×{label.SizeZ} but the image is {image.SizeX}×{image.SizeY}×{image.SizeZ}.");
    }
}

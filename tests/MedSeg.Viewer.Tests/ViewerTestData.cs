using System.IO.Compression;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Viewer.Tests;

/// <summary>
/// The volumes the browser tests load, written with MedSeg.Core's NiftiWriter: a 32³ int16 image whose
/// background brightens with z (so every axial slice differs) holding a bright cube, and a uint8
/// label map with two class cubes.
/// </summary>
public static class ViewerTestData
{
    public const int Size = 32;
    public const string Image = "image.nii.gz";
    public const string Label = "label.nii.gz";
    public const string ShortLabel = "label-16-slices.nii.gz";
    public const string NotNifti = "not-nifti.nii.gz";
    /// <summary>A larger image (192 × 192 × 160 int16) whose load and viewport switch take long enough to be overtaken.</summary>
    public const string Large = "large.nii.gz";
    public const int LargeSize = 192;
    public const int LargeSlices = 160;

    public static bool InCube(int x, int y, int z, int from, int to) =>
        x >= from && x < to && y >= from && y < to && z >= from && z < to;

    public static void WriteAll(string directory)
    {
        NiftiWriter.Write(Fill<short>(Size, (x, y, z) => (short)(InCube(x, y, z, 8, 24) ? 1500 : 100 + 20 * z)),
            Path.Combine(directory, Image));
        NiftiWriter.Write(Fill<byte>(Size, LabelAt), Path.Combine(directory, Label));
        NiftiWriter.Write(Fill<byte>(Size / 2, LabelAt), Path.Combine(directory, ShortLabel));
        NiftiWriter.Write(Fill<short>(LargeSize, LargeSlices, (x, y, z) => (short)((x * 7 + y * 13 + z * 31) % 2000)),
            Path.Combine(directory, Large));
        using var file = File.Create(Path.Combine(directory, NotNifti));
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(new byte[400]);
    }

    /// <summary>A Size × Size × sizeZ volume with 1 mm spacing.</summary>
    public static Volume Fill<T>(int sizeZ, Func<int, int, int, T> voxel) where T : unmanaged =>
        Fill(Size, sizeZ, voxel);

    /// <summary>A size × size × sizeZ volume with 1 mm spacing.</summary>
    public static Volume Fill<T>(int size, int sizeZ, Func<int, int, int, T> voxel) where T : unmanaged
    {
        var volume = Volume.Create<T>(size, size, sizeZ, spacing: [1, 1, 1]);
        var data = volume.As<T>();
        for (var z = 0; z < sizeZ; z++)
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                    data[volume.Index(x, y, z)] = voxel(x, y, z);
        return volume;
    }

    private static byte LabelAt(int x, int y, int z)
    {
        if (x >= 6 && x < 14 && y >= 6 && y < 14 && z >= 8 && z < 24) return 1;
        if (x >= 18 && x < 26 && y >= 18 && y < 26 && z >= 8 && z < 24) return 2;
        return 0;
    }
}

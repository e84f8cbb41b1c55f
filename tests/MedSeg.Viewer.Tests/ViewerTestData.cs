using System.IO.Compression;

namespace MedSeg.Viewer.Tests;

/// <summary>
/// The volumes the browser tests load: a 32³ int16 image whose background brightens with z (so every
/// axial slice differs) holding a bright cube, and a uint8 label map with two class cubes.
/// </summary>
public static class ViewerTestData
{
    public const int Size = 32;
    public const string Image = "image.nii.gz";
    public const string Label = "label.nii.gz";
    public const string ShortLabel = "label-16-slices.nii.gz";
    public const string NotNifti = "not-nifti.nii.gz";

    public static bool InCube(int x, int y, int z, int from, int to) =>
        x >= from && x < to && y >= from && y < to && z >= from && z < to;

    public static void WriteAll(string directory)
    {
        TestNifti.WriteInt16(Path.Combine(directory, Image), Size, Size, Size,
            (x, y, z) => (short)(InCube(x, y, z, 8, 24) ? 1500 : 100 + 20 * z));
        TestNifti.WriteUInt8(Path.Combine(directory, Label), Size, Size, Size, LabelAt);
        TestNifti.WriteUInt8(Path.Combine(directory, ShortLabel), Size, Size, 16, LabelAt);
        using var file = File.Create(Path.Combine(directory, NotNifti));
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(new byte[400]);
    }

    private static byte LabelAt(int x, int y, int z)
    {
        if (x >= 6 && x < 14 && y >= 6 && y < 14 && z >= 8 && z < 24) return 1;
        if (x >= 18 && x < 26 && y >= 18 && y < 26 && z >= 8 && z < 24) return 2;
        return 0;
    }
}

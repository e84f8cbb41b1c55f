using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Viewer.Tests;

/// <summary>
/// Volumes for the cursor readout and the window/level presets: an image on an oblique, anisotropic, off-centre grid whose
/// value encodes its voxel index (so a readout's value tells which voxel was really read), its label map, and one image
/// per image kind (CT in HU, a synthetic outline image, a fused z-scored float image with NaN voxels, a constant image).
/// </summary>
public static class ViewerReadoutData
{
    public const string Oblique = "oblique.nii.gz";
    public const string ObliqueLabel = "oblique-label.nii.gz";
    public const string Ct = "kind-ct.nii.gz";
    public const string Synthetic = "kind-synthetic.nii.gz";
    public const string Fused = "kind-fused.nii.gz";
    public const string Constant = "kind-constant.nii.gz";

    public const int SizeX = 20, SizeY = 16, SizeZ = 12;
    public static readonly double[] Spacing = [1.5, 0.8, 2.5];

    /// <summary>Row-major 4×4 voxel → RAS mm: rotations of 20° about z and 10° about x times the spacing, then an odd origin.</summary>
    public static readonly double[] Affine = BuildAffine();

    public static readonly Dictionary<int, string> ObliqueClasses = new() { [1] = "left part", [2] = "upper right" };

    /// <summary>The oblique image's value at a voxel: unique per voxel.</summary>
    public static int ValueAt(int i, int j, int k) => i + SizeX * j + SizeX * SizeY * k;

    /// <summary>The oblique label map: 1 for i &lt; 10, 2 for i ≥ 10 and j ≥ 8, else background.</summary>
    public static byte LabelAt(int i, int j, int k) => i < 10 ? (byte)1 : j >= 8 ? (byte)2 : (byte)0;

    /// <summary>RAS mm of a voxel centre by the affine the file was written with.</summary>
    public static double[] Millimetres(int i, int j, int k) =>
        [.. Enumerable.Range(0, 3).Select(r => Affine[4 * r] * i + Affine[4 * r + 1] * j + Affine[4 * r + 2] * k + Affine[4 * r + 3])];

    public static void WriteAll(string directory)
    {
        NiftiWriter.Write(Fill<short>(SizeX, SizeY, SizeZ, (i, j, k) => (short)ValueAt(i, j, k), Affine), Path.Combine(directory, Oblique));
        NiftiWriter.Write(Fill<byte>(SizeX, SizeY, SizeZ, LabelAt, Affine), Path.Combine(directory, ObliqueLabel));
        // CT: air (-1000) around a body of soft tissue (40) with a bone block (700).
        NiftiWriter.Write(Fill<short>(24, 24, 16, (i, j, k) =>
            (short)(Inside(i, j, 4, 20) ? (Inside(i, j, 9, 14) ? 700 : 40) : -1000), null), Path.Combine(directory, Ct));
        // AVS-DB style outlines: 0 background, 128 on the outline of a square.
        NiftiWriter.Write(Fill<byte>(24, 24, 16, (i, j, k) =>
            (byte)(Inside(i, j, 6, 18) && !Inside(i, j, 7, 17) ? 128 : 0), null), Path.Combine(directory, Synthetic));
        // Fused float, z-scored: a smooth ramp around 0 with a few NaN voxels (degenerate values must not break the window).
        NiftiWriter.Write(Fill<float>(24, 24, 16, (i, j, k) =>
            i == 0 && j == 0 ? float.NaN : (float)((i - 11.5) / 7.0 + Math.Sin(j) * 0.5)), Path.Combine(directory, Fused));
        NiftiWriter.Write(Fill<float>(24, 24, 16, (_, _, _) => 3f), Path.Combine(directory, Constant));
    }

    private static bool Inside(int i, int j, int from, int to) => i >= from && i < to && j >= from && j < to;

    private static Volume Fill<T>(int sx, int sy, int sz, Func<int, int, int, T> voxel, double[]? affine = null) where T : unmanaged
    {
        var volume = Volume.Create<T>(sx, sy, sz, affine is null ? [1, 1, 1] : Spacing, affine);
        var data = volume.As<T>();
        for (var k = 0; k < sz; k++)
            for (var j = 0; j < sy; j++)
                for (var i = 0; i < sx; i++)
                    data[volume.Index(i, j, k)] = voxel(i, j, k);
        return volume;
    }

    private static double[] BuildAffine()
    {
        double a = 20 * Math.PI / 180, b = 10 * Math.PI / 180;
        double[,] rz = { { Math.Cos(a), -Math.Sin(a), 0 }, { Math.Sin(a), Math.Cos(a), 0 }, { 0, 0, 1 } };
        double[,] rx = { { 1, 0, 0 }, { 0, Math.Cos(b), -Math.Sin(b) }, { 0, Math.Sin(b), Math.Cos(b) } };
        double[] origin = [-30.5, 12.25, 7.0];
        var affine = new double[16];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                double rotation = 0;
                for (var m = 0; m < 3; m++) rotation += rz[r, m] * rx[m, c];
                affine[4 * r + c] = rotation * Spacing[c];
            }
            affine[4 * r + 3] = origin[r];
        }
        affine[15] = 1;
        return affine;
    }
}

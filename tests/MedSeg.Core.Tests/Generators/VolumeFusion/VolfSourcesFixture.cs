using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Generators.VolumeFusion;

/// <summary>Small NIfTI sources with distinct, non-constant intensities (HU-like ramps plus a per-case offset).</summary>
internal static class VolfSourcesFixture
{
    public static Volume Ramp(int sx, int sy, int sz, int caseIndex)
    {
        var v = Volume.Create<short>(sx, sy, sz);
        var data = v.As<short>();
        for (int z = 0; z < sz; z++)
        for (int y = 0; y < sy; y++)
        for (int x = 0; x < sx; x++)
            data[v.Index(x, y, z)] = (short)(-200 + 7 * x + 3 * y + 11 * z + 40 * caseIndex + (x * y * z + caseIndex) % 13);
        return v;
    }

    /// <summary>A plain folder of <paramref name="count"/> .nii.gz sources of shape (sx, sy, sz).</summary>
    public static string WriteFolder(string dir, int count, int sx = 40, int sy = 36, int sz = 20)
    {
        Directory.CreateDirectory(dir);
        for (int i = 0; i < count; i++) NiftiWriter.Write(Ramp(sx, sy, sz, i), Path.Combine(dir, $"case_{i:00}.nii.gz"));
        return dir;
    }
}

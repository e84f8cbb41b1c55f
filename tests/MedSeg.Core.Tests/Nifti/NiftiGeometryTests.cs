using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Nifti;

public class NiftiGeometryTests
{
    /// <summary>Rotation by <paramref name="degrees"/> about a unit axis (Rodrigues), times diag(spacing), plus an offset.</summary>
    private static double[] RotatedAffine(double[] axis, double degrees, double[] spacing, double[] offset, bool flipZ = false)
    {
        double t = degrees * Math.PI / 180, c = Math.Cos(t), s = Math.Sin(t), C = 1 - c;
        double x = axis[0], y = axis[1], z = axis[2];
        double[,] r =
        {
            { c + x * x * C, x * y * C - z * s, x * z * C + y * s },
            { y * x * C + z * s, c + y * y * C, y * z * C - x * s },
            { z * x * C - y * s, z * y * C + x * s, c + z * z * C },
        };
        var a = new double[16];
        for (int row = 0; row < 3; row++)
        {
            for (int col = 0; col < 3; col++)
                a[4 * row + col] = r[row, col] * spacing[col] * (flipZ && col == 2 ? -1 : 1);
            a[4 * row + 3] = offset[row];
        }
        a[15] = 1;
        return a;
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"element {i}: expected {expected[i]}, got {actual[i]} (affine [{string.Join(", ", actual)}])");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RotatedAnisotropicAffine_RoundTrips_ThroughSformAndQform(bool flipZ)
    {
        using var dir = new TempDirectory();
        string path = dir.File("rot.nii.gz");
        double n = Math.Sqrt(1 + 4 + 9);
        double[] spacing = [0.7, 1.3, 2.9];
        double[] affine = RotatedAffine([1 / n, 2 / n, 3 / n], 37, spacing, [-90.5, 12.25, 40], flipZ);
        NiftiWriter.Write(new Volume(3, 4, 5, new short[60], spacing, affine), path);

        var read = NiftiReader.Read(path);
        var header = NiftiReader.ReadHeader(path);

        AssertClose(affine, read.Affine, 1e-5);
        Assert.Equal(spacing, read.Spacing.Select(s => Math.Round(s, 6)).ToArray());
        Assert.Equal(NiftiAffineSource.SForm, header.AffineSource);
        Assert.Equal(1, header.QFormCode);
        Assert.Equal(flipZ ? -1f : 1f, header.PixDim[0]);
        // The qform alone must describe the same geometry (readers that ignore the sform).
        AssertClose(affine, NiftiGeometry.QFormAffine(header), 1e-5);
    }

    [Fact]
    public void ShearedAffine_KeepsSform_AndWritesNoQform()
    {
        using var dir = new TempDirectory();
        string path = dir.File("shear.nii");
        double[] affine = [1, 0.5, 0, 3, 0, 1, 0, 4, 0, 0, 2, 5, 0, 0, 0, 1];
        NiftiWriter.Write(new Volume(2, 2, 2, new byte[8], [1, 1, 2], affine), path);

        var header = NiftiReader.ReadHeader(path);
        Assert.Equal(0, header.QFormCode);
        Assert.Equal(1, header.SFormCode);
        AssertClose(affine, NiftiReader.Read(path).Affine, 1e-6);
    }

    [Fact]
    public void QformOnlyFile_GivesHandComputedAffine()
    {
        // 90° about z: a = cos 45°, d = sin 45°  →  R = [[0,-1,0],[1,0,0],[0,0,1]].
        // pixdim = (qfac −1, 2, 3, 4) so the matrix is R · diag(2, 3, −4) plus qoffset (10, 20, 30).
        var raw = new RawNifti
        {
            Dim = [3, 2, 2, 2, 1, 1, 1, 1], DataType = 4, BitPix = 16,
            PixDim = [-1, 2, 3, 4, 0, 0, 0, 0],
            QFormCode = 1, SFormCode = 0,
            Quatern = [0, 0, (float)Math.Sin(Math.PI / 4)],
            QOffset = [10, 20, 30],
        };
        using var dir = new TempDirectory();
        string path = dir.File("q.nii");
        RawNifti.Save(path, raw.File(raw.Int16Data(1, 2, 3, 4, 5, 6, 7, 8)));

        var volume = NiftiReader.Read(path);
        double[] expected =
        [
            0, -3, 0, 10,
            2, 0, 0, 20,
            0, 0, -4, 30,
            0, 0, 0, 1,
        ];
        AssertClose(expected, volume.Affine, 1e-6);
        Assert.Equal([2.0, 3.0, 4.0], volume.Spacing);
        Assert.Equal(NiftiAffineSource.QForm, NiftiReader.ReadHeader(path).AffineSource);
    }

    [Fact]
    public void QformWith180DegreeRotation_UsesZeroA()
    {
        // b = 1, c = d = 0: 180° about x, a = 0  →  R = diag(1, −1, −1).
        var raw = new RawNifti { PixDim = [1, 1.5f, 1.5f, 1.5f, 0, 0, 0, 0], QFormCode = 2, Quatern = [1, 0, 0] };
        using var dir = new TempDirectory();
        string path = dir.File("q180.nii.gz");
        RawNifti.Save(path, raw.File(raw.Int16Data(new short[8])));

        AssertClose([1.5, 0, 0, 0, 0, -1.5, 0, 0, 0, 0, -1.5, 0, 0, 0, 0, 1], NiftiReader.Read(path).Affine, 1e-6);
    }

    [Fact]
    public void SformIsPreferredOverQform_WhenBothCodesSet()
    {
        var raw = new RawNifti
        {
            PixDim = [1, 2, 2, 2, 0, 0, 0, 0],
            QFormCode = 1, Quatern = [0, 0, 1], // 180° about z in the qform
            SFormCode = 2, SRows = [2, 0, 0, -5, 0, 2, 0, -6, 0, 0, 2, -7],
        };
        using var dir = new TempDirectory();
        string path = dir.File("both.nii");
        RawNifti.Save(path, raw.File(raw.Int16Data(new short[8])));

        AssertClose([2, 0, 0, -5, 0, 2, 0, -6, 0, 0, 2, -7, 0, 0, 0, 1], NiftiReader.Read(path).Affine, 0);
    }

    [Fact]
    public void NoTransformCodes_GiveDiagonalPixdimAffine()
    {
        var raw = new RawNifti { PixDim = [0, 0.5f, 0.75f, 5, 0, 0, 0, 0] };
        using var dir = new TempDirectory();
        string path = dir.File("plain.nii");
        RawNifti.Save(path, raw.File(raw.Int16Data(new short[8])));

        var volume = NiftiReader.Read(path);
        Assert.Equal(Volume.DiagonalAffine([0.5, 0.75, 5]), volume.Affine);
        Assert.Equal(NiftiAffineSource.PixDim, NiftiReader.ReadHeader(path).AffineSource);
    }

    [Fact]
    public void ZeroPixdim_TakesSpacingFromSformColumns()
    {
        var raw = new RawNifti { PixDim = [1, 0, 0, 0, 0, 0, 0, 0], SFormCode = 1, SRows = [0, 3, 0, 0, 4, 0, 0, 0, 0, 0, 5, 0] };
        using var dir = new TempDirectory();
        string path = dir.File("zp.nii");
        RawNifti.Save(path, raw.File(raw.Int16Data(new short[8])));

        Assert.Equal([4.0, 3.0, 5.0], NiftiReader.Read(path).Spacing);
    }

    [Fact]
    public void SpacingThatDisagreesWithAffine_IsKeptInPixdim_AndNoQformIsWritten()
    {
        using var dir = new TempDirectory();
        string path = dir.File("mismatch.nii");
        double[] identity = Volume.DiagonalAffine([1, 1, 1]);
        NiftiWriter.Write(new Volume(2, 2, 2, new float[8], [2, 2, 3], identity), path);

        var read = NiftiReader.Read(path);
        Assert.Equal([2.0, 2.0, 3.0], read.Spacing);
        Assert.Equal(identity, read.Affine);
        Assert.Equal(0, NiftiReader.ReadHeader(path).QFormCode);
    }
}

using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Nifti;

public class NiftiReaderTests
{
    [Fact]
    public void SclSlopeAndInter_AreApplied_Int16BecomesFloat32()
    {
        var raw = new RawNifti { SclSlope = 0.5f, SclInter = -10 };
        using var dir = new TempDirectory();
        string path = dir.File("scaled.nii.gz");
        RawNifti.Save(path, raw.File(raw.Int16Data(0, 1, 2, 3, -4, 100, 1000, -32768)));

        var volume = NiftiReader.Read(path);

        Assert.Equal(VoxelType.Float32, volume.Type);
        Assert.Equal([-10f, -9.5f, -9f, -8.5f, -12f, 40f, 490f, -16394f], volume.As<float>());
    }

    [Fact]
    public void SclSlope_OnInt32_BecomesFloat64_WithoutRounding()
    {
        var raw = new RawNifti { DataType = 8, BitPix = 32, SclSlope = 2, SclInter = 1 };
        using var dir = new TempDirectory();
        string path = dir.File("scaled32.nii");
        RawNifti.Save(path, raw.File(raw.Int32Data(0, 1, 16_777_217, -5, 7, 8, 9, int.MaxValue)));

        var volume = NiftiReader.Read(path);

        Assert.Equal(VoxelType.Float64, volume.Type);
        Assert.Equal([1.0, 3, 33_554_435, -9, 15, 17, 19, 2.0 * int.MaxValue + 1], volume.As<double>());
    }

    [Theory]
    [InlineData(0f, 0f)]   // zero slope means "no scaling" in NIfTI-1
    [InlineData(1f, 0f)]   // identity
    [InlineData(float.NaN, 0f)] // nibabel writes NaN for "no scaling"
    public void NoOrIdentityScaling_KeepsStoredType(float slope, float inter)
    {
        var raw = new RawNifti { SclSlope = slope, SclInter = inter };
        using var dir = new TempDirectory();
        string path = dir.File("unscaled.nii");
        RawNifti.Save(path, raw.File(raw.Int16Data(1, 2, 3, 4, 5, 6, 7, 8)));

        var volume = NiftiReader.Read(path);
        Assert.Equal(VoxelType.Int16, volume.Type);
        Assert.Equal(new short[] { 1, 2, 3, 4, 5, 6, 7, 8 }, volume.As<short>());
    }

    [Theory]
    [InlineData(".nii")]
    [InlineData(".nii.gz")]
    public void BigEndianFile_Int16_IsReadWithCorrectValuesAndGeometry(string extension)
    {
        var raw = new RawNifti
        {
            BigEndian = true,
            Dim = [3, 2, 2, 2, 1, 1, 1, 1],
            PixDim = [1, 0.9f, 0.8f, 3, 0, 0, 0, 0],
            SFormCode = 1, SRows = [0.9f, 0, 0, -1, 0, 0.8f, 0, -2, 0, 0, 3, -3],
        };
        using var dir = new TempDirectory();
        string path = dir.File("big" + extension);
        short[] values = [1, -2, 300, -400, 0x1234, short.MinValue, short.MaxValue, 7];
        RawNifti.Save(path, raw.File(raw.Int16Data(values)));

        var volume = NiftiReader.Read(path);

        Assert.True(NiftiReader.ReadHeader(path).IsBigEndian);
        Assert.Equal(values, volume.As<short>());
        Assert.Equal([0.9, 0.8, 3.0], volume.Spacing.Select(s => Math.Round(s, 6)));
        Assert.Equal(-3.0, volume.Affine[11]);
    }

    [Fact]
    public void BigEndianFile_Float64_WithScaling()
    {
        var raw = new RawNifti { BigEndian = true, DataType = 64, BitPix = 64, SclSlope = 10, SclInter = 0 };
        using var dir = new TempDirectory();
        string path = dir.File("bigd.nii");
        RawNifti.Save(path, raw.File(raw.Float64Data(0.5, -1.25, 2, 3, 4, 5, 6, 1e-3)));

        Assert.Equal([5.0, -12.5, 20, 30, 40, 50, 60, 1e-2], NiftiReader.Read(path).As<double>());
    }

    [Fact]
    public void BigEndianFile_Float32()
    {
        var raw = new RawNifti { BigEndian = true, DataType = 16, BitPix = 32 };
        using var dir = new TempDirectory();
        string path = dir.File("bigf.nii.gz");
        float[] values = [0.5f, -1.25f, float.MaxValue, 3, 4, 5, 6, 1e-3f];
        RawNifti.Save(path, raw.File(raw.Float32Data(values)));

        Assert.Equal(values, NiftiReader.Read(path).As<float>());
    }

    [Theory]
    [InlineData((short)256, VoxelType.Int8)]
    [InlineData((short)512, VoxelType.UInt16)]
    [InlineData((short)1024, VoxelType.Int64)]
    public void ReadOnlyTypes_AreRead(short code, VoxelType expected)
    {
        int size = expected.ByteSize();
        var raw = new RawNifti { DataType = code, BitPix = (short)(8 * size) };
        var bytes = new byte[8 * size];
        for (int i = 0; i < 8; i++) bytes[i * size] = unchecked((byte)(250 + i)); // little-endian low byte: 250..255, 0, 1
        using var dir = new TempDirectory();
        string path = dir.File("t.nii");
        RawNifti.Save(path, raw.File(bytes));

        var volume = NiftiReader.Read(path);
        Assert.Equal(expected, volume.Type);
        double[] expectedValues = expected == VoxelType.Int8
            ? [-6, -5, -4, -3, -2, -1, 0, 1]
            : [250, 251, 252, 253, 254, 255, 0, 1];
        Assert.Equal(expectedValues, Enumerable.Range(0, 8).Select(i => volume.GetDouble(i)));
    }

    [Fact]
    public void FourDimensionalFile_WithOneTimePoint_IsRead()
    {
        var raw = new RawNifti { Dim = [4, 2, 2, 2, 1, 1, 1, 1] };
        using var dir = new TempDirectory();
        string path = dir.File("t1.nii");
        RawNifti.Save(path, raw.File(raw.Int16Data(1, 2, 3, 4, 5, 6, 7, 8)));

        var volume = NiftiReader.Read(path);
        Assert.Equal(8, volume.VoxelCount);
        Assert.Equal(6, volume.GetDouble(volume.Index(1, 0, 1)));
    }

    [Fact]
    public void LargeVoxOffset_WithExtensionBytes_IsSkipped()
    {
        var raw = new RawNifti { VoxOffset = 1000 };
        using var dir = new TempDirectory();
        string path = dir.File("ext.nii.gz");
        RawNifti.Save(path, raw.File(raw.Int16Data(9, 8, 7, 6, 5, 4, 3, 2)));

        Assert.Equal(new short[] { 9, 8, 7, 6, 5, 4, 3, 2 }, NiftiReader.Read(path).As<short>());
    }

    [Fact]
    public void SclSlope_OnInt8_KeepsSign()
    {
        // Guards against treating an sbyte[] as byte[] (the CLR lets one pass for the other).
        var raw = new RawNifti { DataType = 256, BitPix = 8, SclSlope = 2, SclInter = 0 };
        using var dir = new TempDirectory();
        string path = dir.File("s8.nii");
        RawNifti.Save(path, raw.File([0xFF, 0x80, 0x7F, 0, 1, 2, 3, 4]));

        Assert.Equal([-2f, -256f, 254f, 0, 2, 4, 6, 8], NiftiReader.Read(path).As<float>());
    }
}

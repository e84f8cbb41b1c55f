using System.IO.Compression;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Nifti;

/// <summary>Every malformed file gives a <see cref="NiftiFormatException"/> naming the file and the problem.</summary>
public class NiftiErrorTests
{
    private static NiftiFormatException ReadFails(string path)
    {
        var e = Assert.Throws<NiftiFormatException>(() => NiftiReader.Read(path));
        Assert.StartsWith(Path.GetFileName(path) + ": ", e.Message);
        return e;
    }

    private static string Save(TempDirectory dir, string name, byte[] content)
    {
        string path = dir.File(name);
        RawNifti.Save(path, content);
        return path;
    }

    [Fact]
    public void TruncatedHeader()
    {
        using var dir = new TempDirectory();
        string path = Save(dir, "short.nii", new RawNifti().Header()[..100]);
        Assert.Equal("short.nii: header ends after 100 of 348 bytes", ReadFails(path).Message);
        Assert.Throws<NiftiFormatException>(() => NiftiReader.ReadHeader(path));
    }

    [Theory]
    [InlineData(".nii")]
    [InlineData(".nii.gz")]
    public void DataShorterThanDims(string extension)
    {
        var raw = new RawNifti { Dim = [3, 10, 10, 4, 1, 1, 1, 1] }; // 400 int16 = 800 bytes
        using var dir = new TempDirectory();
        string path = Save(dir, "brain" + extension, raw.File(new byte[617]));
        Assert.Equal($"brain{extension}: data ends after 617 of 800 bytes", ReadFails(path).Message);
    }

    [Fact]
    public void TruncatedGzipFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cut.nii.gz");
        var rng = new Random(1);
        var values = new short[32 * 32 * 8];
        for (int i = 0; i < values.Length; i++) values[i] = (short)rng.Next(-1000, 1000);
        NiftiWriter.Write(new Volume(32, 32, 8, values), path);
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        // Either the inflater notices the missing end, or the data simply runs out; both name the file.
        string message = ReadFails(path).Message;
        Assert.Matches(@"^cut\.nii\.gz: (data ends after [\d,]+ of 16,384 bytes|corrupt gzip data)", message);
    }

    [Fact]
    public void CorruptGzipData()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.nii.gz");
        NiftiWriter.Write(new Volume(8, 8, 8, Enumerable.Range(0, 512).Select(i => (float)i).ToArray()), path);
        byte[] bytes = File.ReadAllBytes(path);
        for (int i = 12; i < bytes.Length - 8; i++) bytes[i] ^= 0x5A; // scramble the deflate blocks
        File.WriteAllBytes(path, bytes);

        Assert.StartsWith("bad.nii.gz: corrupt gzip data", ReadFails(path).Message);
    }

    [Fact]
    public void GzName_ButNotGzipContent()
    {
        using var dir = new TempDirectory();
        string path = dir.File("plain.nii.gz");
        var raw = new RawNifti();
        File.WriteAllBytes(path, raw.File(raw.Int16Data(new short[8])));
        Assert.Equal("plain.nii.gz: name ends in .gz but the file is not gzip data (starts with 0x5C 0x01)", ReadFails(path).Message);
    }

    [Fact]
    public void WrongMagic()
    {
        var raw = new RawNifti { Magic = "abc" };
        using var dir = new TempDirectory();
        string path = Save(dir, "magic.nii", raw.File(raw.Int16Data(new short[8])));
        Assert.Equal("magic.nii: wrong magic 'abc\\x00' (expected 'n+1')", ReadFails(path).Message);
    }

    [Fact]
    public void HeaderImagePairMagic_IsRejectedWithReason()
    {
        var raw = new RawNifti { Magic = "ni1" };
        using var dir = new TempDirectory();
        string path = Save(dir, "pair.nii", raw.File(raw.Int16Data(new short[8])));
        Assert.Contains(".hdr/.img pair", ReadFails(path).Message);
    }

    [Theory]
    [InlineData(123, "sizeof_hdr is 123 (expected 348 in either byte order)")]
    [InlineData(540, "is NIfTI-2 (sizeof_hdr 540)")]
    public void WrongSizeofHdr(int size, string expected)
    {
        var raw = new RawNifti { SizeofHdr = size };
        using var dir = new TempDirectory();
        string path = Save(dir, "size.nii.gz", raw.File(raw.Int16Data(new short[8])));
        Assert.Contains(expected, ReadFails(path).Message);
    }

    [Theory]
    [InlineData((short)128, "unsupported datatype 128 (RGB24)")]
    [InlineData((short)32, "unsupported datatype 32 (COMPLEX64)")]
    [InlineData((short)3, "unsupported datatype 3 (not a NIfTI-1 code)")]
    public void UnsupportedDatatype(short code, string expected)
    {
        var raw = new RawNifti { DataType = code };
        using var dir = new TempDirectory();
        string path = Save(dir, "rgb.nii", raw.File(new byte[64]));
        Assert.Contains(expected, ReadFails(path).Message);
    }

    [Theory]
    [InlineData(new short[] { 4, 2, 2, 2, 5, 1, 1, 1 }, "dim[4] is 5 (dim = [4, 2, 2, 2, 5])")]
    [InlineData(new short[] { 2, 2, 2, 1, 1, 1, 1, 1 }, "dim[0] is 2: a 2-D image")]
    [InlineData(new short[] { 9, 2, 2, 2, 1, 1, 1, 1 }, "dim[0] is 9 (must be 1–7)")]
    [InlineData(new short[] { 3, 2, 0, 2, 1, 1, 1, 1 }, "dim[2] is 0 (must be at least 1)")]
    public void UnsupportedDimensions(short[] dim, string expected)
    {
        var raw = new RawNifti { Dim = dim };
        using var dir = new TempDirectory();
        string path = Save(dir, "dims.nii", raw.File(new byte[160]));
        Assert.Contains(expected, ReadFails(path).Message);
    }

    [Fact]
    public void VoxOffsetInsideHeader()
    {
        var raw = new RawNifti { VoxOffset = 0 };
        using var dir = new TempDirectory();
        string path = Save(dir, "vox.nii", raw.File(raw.Int16Data(new short[8])));
        Assert.Contains("vox_offset is 0", ReadFails(path).Message);
    }

    [Fact]
    public void MissingFile_IsFileNotFound()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => NiftiReader.Read(dir.File("none.nii")));
    }
}

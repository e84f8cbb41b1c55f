using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Nifti;

public class NiftiRoundTripTests
{
    public static TheoryData<VoxelType, string> TypesAndExtensions()
    {
        var data = new TheoryData<VoxelType, string>();
        foreach (var type in NiftiDataTypes.Writable)
            foreach (var ext in new[] { ".nii", ".nii.gz" })
                data.Add(type, ext);
        return data;
    }

    [Theory]
    [MemberData(nameof(TypesAndExtensions))]
    public void Write_ThenRead_GivesSameShapeValuesSpacingAndAffine(VoxelType type, string extension)
    {
        using var dir = new TempDirectory();
        string path = dir.File("vol" + extension);
        var original = new Volume(5, 4, 3, MakeValues(type, 60), spacing: [0.5, 1.25, 3.0]);

        NiftiWriter.Write(original, path);
        var read = NiftiReader.Read(path);

        Assert.Equal((5, 4, 3), (read.SizeX, read.SizeY, read.SizeZ));
        Assert.Equal(type, read.Type);
        Assert.Equal(original.Data, read.Data);
        Assert.Equal(original.Spacing, read.Spacing);
        Assert.Equal(original.Affine, read.Affine);
    }

    [Fact]
    public void GzipFile_IsActuallyCompressed_AndPlainFileHasHeaderPlusData()
    {
        using var dir = new TempDirectory();
        var volume = Volume.Create<short>(32, 32, 16); // all zeros: compresses well
        NiftiWriter.Write(volume, dir.File("a.nii"));
        NiftiWriter.Write(volume, dir.File("a.nii.gz"));

        Assert.Equal(352 + 32 * 32 * 16 * 2, new FileInfo(dir.File("a.nii")).Length);
        Assert.True(new FileInfo(dir.File("a.nii.gz")).Length < 2000);
        var header = NiftiReader.ReadHeader(dir.File("a.nii.gz"));
        Assert.Equal("n+1", header.Magic);
        Assert.Equal(352f, header.VoxOffset);
        Assert.Equal(16, header.BitPix);
    }

    [Fact]
    public void Write_OverExistingFile_ReplacesIt()
    {
        using var dir = new TempDirectory();
        string path = dir.File("over.nii.gz");
        NiftiWriter.Write(Volume.Create<byte>(8, 8, 8), path);
        var second = new Volume(2, 2, 2, new float[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        NiftiWriter.Write(second, path);

        Assert.Equal(second.Data, NiftiReader.Read(path).Data);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    /// <summary>Values covering the type's extremes, negatives and a pseudo-random middle.</summary>
    private static Array MakeValues(VoxelType type, int count)
    {
        var rng = new Random(42);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = rng.NextDouble() * 200 - 100;
        return type switch
        {
            VoxelType.UInt8 => v.Select((x, i) => i == 0 ? byte.MaxValue : (byte)Math.Abs(x)).ToArray(),
            VoxelType.Int16 => v.Select((x, i) => i == 0 ? short.MinValue : i == 1 ? short.MaxValue : (short)(x * 100)).ToArray(),
            VoxelType.Int32 => v.Select((x, i) => i == 0 ? int.MinValue : i == 1 ? int.MaxValue : (int)(x * 1e6)).ToArray(),
            VoxelType.Float32 => v.Select((x, i) => i == 0 ? float.MaxValue : i == 1 ? float.Epsilon : (float)x).ToArray(),
            VoxelType.Float64 => v.Select((x, i) => i == 0 ? double.MinValue : i == 1 ? Math.PI : x).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }
}

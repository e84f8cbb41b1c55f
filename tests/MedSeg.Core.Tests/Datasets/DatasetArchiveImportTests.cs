using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Nifti;
using MedSeg.Core.Tests.Nifti;

namespace MedSeg.Core.Tests.Datasets;

/// <summary>Importing .tar / .tar.gz / .tgz archives (the MSD download format) and refusing unsafe entries and 4-D images.</summary>
public class DatasetArchiveImportTests
{
    /// <summary>An MSD folder "Task04_Hippocampus/" (5 cases, macOS "._" junk included) packed as a tar, optionally gzipped.</summary>
    private static string PackMsd(TempDirectory dir, string archiveName)
    {
        string build = dir.File("build");
        MsdFixture.WriteMsd(Path.Combine(build, "Task04_Hippocampus"), cases: 5);
        string archive = dir.File(archiveName);
        using var file = File.Create(archive);
        using Stream stream = archiveName.EndsWith(".tar") ? file : new GZipStream(file, CompressionLevel.Fastest);
        TarFile.CreateFromDirectory(build, stream, includeBaseDirectory: false);
        return archive;
    }

    [Theory]
    [InlineData("Task04_Hippocampus.tar")]
    [InlineData("Task04_Hippocampus.tar.gz")]
    [InlineData("Task04_Hippocampus.tgz")]
    public void Tar_Archives_Import_Like_The_Folder(string name)
    {
        using var dir = new TempDirectory();
        string archive = PackMsd(dir, name), target = dir.File("out/hippocampus");

        var result = MsdImporter.Import(archive, target, new SplitOptions { Validation = ["la_002"] });

        Assert.Equal(DatasetLayout.Msd, result.Report.Layout);
        Assert.Equal(MsdFixture.CaseIds(5), result.Report.Cases.Select(c => c.Id));
        Assert.Equal(["la_002"], result.Split.Val);
        Assert.Equal(24, NiftiReader.Read(Path.Combine(target, "labelsTr", "la_004.nii.gz")).As<byte>().Count(v => v == 2));
        Assert.True(File.Exists(Path.Combine(target, "imagesTs", "la_100.nii.gz")));
        Assert.False(File.Exists(Path.Combine(target, "imagesTr", "._la_001.nii.gz")));
        Assert.Equal(["hippocampus"], Directory.GetFileSystemEntries(dir.File("out")).Select(Path.GetFileName)); // no staging left
        Assert.True(MsdDatasetValidator.Validate(target).IsValid);
    }

    [Theory]
    [InlineData("evil.tar")]
    [InlineData("evil.tgz")]
    public void Tar_Entry_Escaping_The_Folder_Is_Refused_By_Name_Leaving_Nothing(string name)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("work"));
        string archive = dir.File(name);
        using (var file = File.Create(archive))
        using (Stream stream = name.EndsWith(".tar") ? file : new GZipStream(file, CompressionLevel.Fastest))
        using (var writer = new TarWriter(stream))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "Task/"));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "Task/dataset.json") { DataStream = new MemoryStream("{}"u8.ToArray()) });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "Task/../../../escaped.txt") { DataStream = new MemoryStream("x"u8.ToArray()) });
        }

        var e = Assert.Throws<DatasetImportException>(() => MsdImporter.Import(archive, dir.File("work/ds")));

        Assert.Contains("'Task/../../../escaped.txt'", e.Message);
        Assert.Contains("outside the dataset folder", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("work")));
        Assert.False(File.Exists(dir.File("escaped.txt")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(dir.Path)!, "escaped.txt")));
    }

    [Fact]
    public void Zip_Entry_Escaping_The_Folder_Is_Refused_By_Name()
    {
        using var dir = new TempDirectory();
        string archive = dir.File("evil.zip");
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        {
            using (var w = new StreamWriter(zip.CreateEntry("dataset.json").Open())) w.Write("{}");
            using (var w = new StreamWriter(zip.CreateEntry("../escaped.txt").Open())) w.Write("x");
        }
        var e = Assert.Throws<DatasetImportException>(() => MsdImporter.Import(archive, dir.File("ds")));
        Assert.Contains("'../escaped.txt'", e.Message);
        Assert.Equal(["evil.zip"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Tar_Link_Entry_Is_Refused_By_Name()
    {
        using var dir = new TempDirectory();
        string archive = dir.File("link.tar");
        using (var file = File.Create(archive))
        using (var writer = new TarWriter(file))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "Task/imagesTr") { LinkName = "/etc" });
        var e = Assert.Throws<DatasetImportException>(() => MsdImporter.Import(archive, dir.File("ds")));
        Assert.Contains("'Task/imagesTr'", e.Message);
        Assert.Contains("SymbolicLink", e.Message);
        Assert.Equal(["link.tar"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Corrupt_Tgz_Is_Refused_Naming_The_Format()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.tgz"), "not gzip at all");
        var e = Assert.Throws<DatasetImportException>(() => MsdImporter.Import(dir.File("bad.tgz"), dir.File("ds")));
        Assert.Contains("not a readable .tar.gz archive", e.Message);
        Assert.Equal(["bad.tgz"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Four_D_Multichannel_Image_Is_Refused_Naming_File_And_Shape()
    {
        using var dir = new TempDirectory();
        string source = dir.File("Task01_BrainTumour");
        MsdFixture.WriteMsd(source, cases: 3);
        // Replace one image by a 4-channel 8×8×8×4 volume (as MSD BrainTumour stores FLAIR, T1w, T1gd, T2w).
        string image = Path.Combine(source, "imagesTr", "la_002.nii.gz");
        WriteFourD(image, channels: 4);

        var e = Assert.Throws<DatasetImportException>(() => MsdImporter.Import(source, dir.File("ds")));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("imagesTr/la_002.nii.gz", problem.File);
        Assert.Contains("4-D image of shape 8×8×8×4 (4 channels", problem.Message);
        Assert.Contains("single-channel", problem.Message);
        Assert.Contains("imagesTr/la_002.nii.gz: 4-D image of shape 8×8×8×4", e.Message);
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    /// <summary>A float32 .nii.gz with dim = [4, 8, 8, 8, channels], written by patching a 3-D file's header.</summary>
    private static void WriteFourD(string path, int channels)
    {
        string flat = path + ".3d.nii";
        NiftiWriter.Write(MsdFixture.Image(1), flat);
        var bytes = File.ReadAllBytes(flat);
        File.Delete(flat);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40), 4);         // dim[0]
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(48), (short)channels); // dim[4]
        int voxelOffset = (int)BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(108));
        var volume = bytes.AsSpan(voxelOffset).ToArray();
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write(bytes);
        for (int c = 1; c < channels; c++) gz.Write(volume);
    }
}

using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Nifti;
using MedSeg.Core.Tests.Nifti;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Datasets.Msd;

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
        Assert.Contains("--channel", problem.Message);
        Assert.Contains("imagesTr/la_002.nii.gz: 4-D image of shape 8×8×8×4", e.Message);
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [Fact]
    public void Channel_Option_Imports_That_Channel_As_3D_And_Records_It()
    {
        using var dir = new TempDirectory();
        string source = dir.File("Task01_BrainTumour");
        MsdFixture.WriteMsd(source, cases: 3);
        MsdFixture.EditJson(source, json => json.Replace("\"modality\":{\"0\":\"MRI\"}",
            "\"modality\":{\"0\":\"FLAIR\",\"1\":\"T1w\",\"2\":\"t1gd\",\"3\":\"T2w\"}"));
        foreach (var id in MsdFixture.CaseIds(3)) WriteFourD(Path.Combine(source, "imagesTr", id + ".nii.gz"), channels: 4);
        WriteFourD(Path.Combine(source, "imagesTs", "la_100.nii.gz"), channels: 4);
        string target = dir.File("brats");

        var result = MsdImporter.Import(source, target, new SplitOptions { ValidationFraction = 0 }, new DatasetValidationOptions { ImageChannel = 2 });

        Assert.Equal(3, result.Report.Cases.Count);
        var imported = NiftiReader.Read(Path.Combine(target, "imagesTr", "la_002.nii.gz")); // a plain 3-D file now
        Assert.Equal((8, 8, 8), (imported.SizeX, imported.SizeY, imported.SizeZ));
        Assert.Equal(MsdFixture.Image(2).As<float>(), imported.As<float>()); // channel c holds MsdFixture.Image(c)
        Assert.Equal(MsdFixture.Image(2).As<float>(), NiftiReader.Read(Path.Combine(target, "imagesTs", "la_100.nii.gz")).As<float>());
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(target, "dataset.json")))!;
        Assert.Equal(2, (int)json["medsegImport"]!["imageChannel"]!);
        Assert.Equal("T2w", (string)json["medsegImport"]!["sourceModality"]!["3"]!);
        Assert.Equal("t1gd", (string)json["modality"]!["0"]!);
        Assert.True(MsdDatasetValidator.Validate(target).IsValid); // the imported folder needs no channel option
        Assert.Equal(3, MsdCaseList.Read(target).Cases.Count);
    }

    [Fact]
    public void Channel_Beyond_The_Image_Is_Refused_Naming_File_And_Shape()
    {
        using var dir = new TempDirectory();
        string source = dir.File("src");
        MsdFixture.WriteMsd(source, cases: 2);
        WriteFourD(Path.Combine(source, "imagesTr", "la_001.nii.gz"), channels: 2);

        var e = Assert.Throws<DatasetImportException>(() =>
            MsdImporter.Import(source, dir.File("ds"), validation: new DatasetValidationOptions { ImageChannel = 2 }));

        Assert.Contains(e.Problems, p => p.File == "imagesTr/la_001.nii.gz" && p.Message.Contains("channel 2 (--channel) does not exist: the image is 8×8×8×2"));
        Assert.Contains(e.Problems, p => p.File == "imagesTr/la_002.nii.gz" && p.Message.Contains("3-D: channel 0 only"));
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [Fact]
    public void Read_Channel_Streams_To_The_Asked_Volume()
    {
        using var dir = new TempDirectory();
        string path = dir.File("four.nii.gz");
        WriteFourD(path, channels: 3);
        Assert.Equal(MsdFixture.Image(1).As<float>(), NiftiReader.ReadChannel(path, 1).As<float>());
        Assert.Equal(3, NiftiReader.ReadHeader(path, allowChannels: true).Channels);
        var e = Assert.Throws<NiftiFormatException>(() => NiftiReader.ReadChannel(path, 3));
        Assert.Contains("channel 3 does not exist: the image has 3 (0..2)", e.Message);
        Assert.Throws<NiftiFormatException>(() => NiftiReader.Read(path)); // plain reads stay 3-D only
    }

    /// <summary>A float32 .nii.gz with dim = [4, 8, 8, 8, channels], channel c = MsdFixture.Image(c), made by patching a 3-D file's header.</summary>
    private static void WriteFourD(string path, int channels)
    {
        string flat = path + ".3d.nii";
        NiftiWriter.Write(MsdFixture.Image(0), flat);
        var bytes = File.ReadAllBytes(flat);
        File.Delete(flat);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40), 4);                // dim[0]
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(48), (short)channels); // dim[4]
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write(bytes);
        for (int c = 1; c < channels; c++)
        {
            var data = MsdFixture.Image(c).As<float>();
            var raw = new byte[data.Length * 4];
            for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), data[i]);
            gz.Write(raw);
        }
    }
}

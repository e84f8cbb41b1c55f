using System.IO.Compression;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Nifti;
using MedSeg.Core.Tests.Nifti;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Datasets.Msd;

public class MsdImporterTests
{
    [Fact]
    public void ImportFolder_CopiesReferencedFilesAndWritesSplit()
    {
        using var dir = new TempDirectory();
        string source = dir.File("Task02_Heart"), target = dir.File("out/heart");
        MsdFixture.WriteMsd(source, cases: 5);

        var result = MsdImporter.Import(source, target, new SplitOptions { Seed = 3, ValidationFraction = 0.4 });

        Assert.Equal(Path.GetFullPath(target), result.Target);
        Assert.True(File.Exists(Path.Combine(target, "dataset.json")));
        Assert.True(File.Exists(Path.Combine(target, "imagesTr", "la_003.nii.gz")));
        Assert.True(File.Exists(Path.Combine(target, "labelsTr", "la_003.nii.gz")));
        Assert.True(File.Exists(Path.Combine(target, "imagesTs", "la_100.nii.gz")));
        Assert.False(File.Exists(Path.Combine(target, "imagesTr", "._la_001.nii.gz")));   // junk not copied
        var split = DatasetSplit.FromJson(File.ReadAllText(Path.Combine(target, "split.json")));
        Assert.Equal(3, split.Train.Count);
        Assert.Equal(2, split.Val.Count);
        Assert.Empty(split.Test);
        Assert.Equal(MsdFixture.CaseIds(5), split.Train.Concat(split.Val).Order());
        Assert.Empty(Directory.GetDirectories(dir.File("out"), ".*"));                        // staging removed
        Assert.True(MsdDatasetValidator.Validate(target).IsValid);
    }

    [Fact]
    public void ImportInvalid_ThrowsWithEveryProblem_LeavesNothingBehind()
    {
        using var dir = new TempDirectory();
        string source = dir.File("src"), target = dir.File("out/heart");
        MsdFixture.WriteMsd(source);
        NiftiWriter.Write(MsdFixture.Label(extra: 7), Path.Combine(source, "labelsTr", "la_003.nii.gz"));
        File.Delete(Path.Combine(source, "labelsTr", "la_004.nii.gz"));

        var e = Assert.Throws<DatasetImportException>(() => MsdImporter.Import(source, target));

        Assert.Equal(2, e.Problems.Count);
        Assert.Contains("labelsTr/la_003.nii.gz: label value 7 not in dataset.json labels {0,1,2}", e.Message);
        Assert.Contains("labelsTr/la_004.nii.gz: missing", e.Message);
        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("out")));
    }

    [Fact]
    public void ImportZip_WithTopLevelFolder_Works()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("build"), zip = dir.File("Task02_Heart.zip"), target = dir.File("heart");
        MsdFixture.WriteNnUnet(Path.Combine(folder, "Dataset002_Heart"));
        ZipFile.CreateFromDirectory(folder, zip);

        var result = MsdImporter.Import(zip, target, new SplitOptions { ValidationFraction = 0, TestFraction = 0 });

        Assert.Equal(DatasetLayout.NnUnetV2, result.Report.Layout);
        Assert.Equal(3, result.Split.Train.Count);
        Assert.True(File.Exists(Path.Combine(target, "imagesTr", "la_002_0001.nii.gz")));
        Assert.Equal(24, NiftiReader.Read(Path.Combine(target, "labelsTr", "la_002.nii.gz")).As<byte>().Count(v => v == 2));
        Assert.Equal(new[] { "build", "heart", "Task02_Heart.zip" }, Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ImportZip_NotAZip_Refused_NothingLeft()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.zip"), "not a zip");
        var e = Assert.Throws<DatasetImportException>(() => MsdImporter.Import(dir.File("bad.zip"), dir.File("t")));
        Assert.Contains("not a readable .zip archive", e.Message);
        Assert.Equal(["bad.zip"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ExistingTarget_Refused()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteMsd(dir.File("src"));
        Directory.CreateDirectory(dir.File("t"));
        var e = Assert.Throws<DatasetImportException>(() => MsdImporter.Import(dir.File("src"), dir.File("t")));
        Assert.Contains("already exists", e.Message);
    }
}

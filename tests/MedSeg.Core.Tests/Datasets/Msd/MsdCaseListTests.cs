using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Tests.Nifti;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Datasets.Msd;

public class MsdCaseListTests
{
    private static string ImportedMsd(TempDirectory dir)
    {
        MsdFixture.WriteMsd(dir.File("src"), cases: 5);
        MsdImporter.Import(dir.File("src"), dir.File("ds"), new SplitOptions { Validation = ["la_002"], Test = ["la_005"] });
        return dir.File("ds");
    }

    [Fact]
    public void Lists_Cases_Labels_And_Split_Without_Opening_Volumes()
    {
        using var dir = new TempDirectory();
        var root = ImportedMsd(dir);
        // A label that is not NIfTI at all: the validator would refuse the folder, the light reader never opens it.
        File.WriteAllText(Path.Combine(root, "labelsTr", "la_003.nii.gz"), "not a volume");

        var list = MsdCaseList.Read(root);

        Assert.Equal(DatasetLayout.Msd, list.Layout);
        Assert.Equal(MsdFixture.CaseIds(5), list.Cases.Select(c => c.Id));
        var third = list.Find("la_003")!;
        Assert.Equal(Path.Combine(Path.GetFullPath(root), "imagesTr", "la_003.nii.gz"), third.ImagePath);
        Assert.Equal(Path.Combine(Path.GetFullPath(root), "labelsTr", "la_003.nii.gz"), third.LabelPath);
        Assert.Equal("right", list.LabelNames[2]);
        Assert.Equal(["la_001", "la_003", "la_004"], list.InSplit("train").Select(c => c.Id));
        Assert.Equal("la_002", Assert.Single(list.InSplit("val")).Id);
        Assert.Equal("la_005", Assert.Single(list.InSplit("test")).Id);
        Assert.False(MsdDatasetValidator.Validate(root).IsValid);
    }

    [Fact]
    public void NnUnet_Folder_Lists_Every_Channel_And_Name_To_Id_Labels()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteNnUnet(dir.Path, cases: 3);
        var list = MsdCaseList.Read(dir.Path);
        Assert.Equal(DatasetLayout.NnUnetV2, list.Layout);
        Assert.Null(list.Split);
        var first = list.Cases[0];
        Assert.Equal(["la_001_0000.nii.gz", "la_001_0001.nii.gz"], first.ImagePaths.Select(Path.GetFileName));
        Assert.Equal("left", list.LabelNames[1]);
        var e = Assert.Throws<FileNotFoundException>(() => list.InSplit("train"));
        Assert.Contains("split.json", e.Message);
    }

    [Fact]
    public void Broken_Dataset_Json_Names_The_File_And_Entry()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteMsd(dir.Path, cases: 2);
        MsdFixture.EditJson(dir.Path, json => json.Replace("\"label\":\"./labelsTr/la_002.nii.gz\"", "\"lbl\":\"./labelsTr/la_002.nii.gz\""));
        var e = Assert.Throws<InvalidDataException>(() => MsdCaseList.Read(dir.Path));
        Assert.Contains("dataset.json", e.Message);
        Assert.Contains("training[1]: \"label\" missing", e.Message);

        MsdFixture.EditJson(dir.Path, json => json.Replace("\"lbl\":", "\"label\":").Replace("./labelsTr/la_001", "../labelsTr/la_001"));
        e = Assert.Throws<InvalidDataException>(() => MsdCaseList.Read(dir.Path));
        Assert.Contains("training[0].label", e.Message);
        Assert.Contains("inside the dataset folder", e.Message);
    }

    [Fact]
    public void Broken_Split_Names_The_File_Field_And_Case()
    {
        using var dir = new TempDirectory();
        var root = ImportedMsd(dir);
        var split = Path.Combine(root, "split.json");
        File.WriteAllText(split, """{ "seed": null, "train": ["la_001", "la_999"], "val": [], "test": [] }""");
        var e = Assert.Throws<InvalidDataException>(() => MsdCaseList.Read(root));
        Assert.Contains(split, e.Message);
        Assert.Contains("train lists case 'la_999'", e.Message);

        File.WriteAllText(split, """{ "train": ["la_001"], "test": [] }""");
        e = Assert.Throws<InvalidDataException>(() => MsdCaseList.Read(root));
        Assert.Contains("\"val\" is missing", e.Message);

        File.WriteAllText(split, """{ "train": ["la_001" """);
        e = Assert.Throws<InvalidDataException>(() => MsdCaseList.Read(root));
        Assert.Contains(split, e.Message);
    }

    [Fact]
    public void Missing_Folder_Or_Dataset_Json_Is_Named()
    {
        using var dir = new TempDirectory();
        Assert.Throws<DirectoryNotFoundException>(() => MsdCaseList.Read(dir.File("nope")));
        var e = Assert.Throws<InvalidDataException>(() => MsdCaseList.Read(dir.Path));
        Assert.Contains("dataset.json", e.Message);
        Assert.Contains("missing", e.Message);
    }
}

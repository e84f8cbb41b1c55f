using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Nifti;
using MedSeg.Core.Tests.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Datasets.Msd;

public class MsdDatasetValidatorTests
{
    private static List<string> Problems(string root) =>
        MsdDatasetValidator.Validate(root).Problems.Select(p => p.ToString()).ToList();

    [Fact]
    public void ValidMsdFolder_NoProblems()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteMsd(dir.Path);

        var report = MsdDatasetValidator.Validate(dir.Path);

        Assert.Empty(report.Problems);
        Assert.True(report.IsValid);
        Assert.Equal(DatasetLayout.Msd, report.Layout);
        Assert.Equal(MsdFixture.CaseIds(5), report.Cases.Select(c => c.Id));
        Assert.Equal("imagesTr/la_001.nii.gz", report.Cases[0].Images.Single());
        Assert.Equal(["imagesTs/la_100.nii.gz"], report.TestImages);
        Assert.Equal([0, 1, 2], report.LabelValues);
    }

    [Fact]
    public void PhantomDataset_WithMsdTrainingAndNnUnetKeys_ValidatesAsMsd()
    {
        // The phantom writer emits MSD "training" plus nnU-Net channel_names/file_ending; labels map id → name (MSD).
        using var dir = new TempDirectory();
        var spec = MedSeg.Core.Generators.Phantom.AbdomenPhantomSpec.Default with { Size = [24, 24, 8] };
        MedSeg.Core.Generators.Phantom.PhantomDatasetWriter.Write(spec, 1, 2, dir.Path);

        var report = MsdDatasetValidator.Validate(dir.Path);

        Assert.Empty(report.Problems);
        Assert.Equal(DatasetLayout.Msd, report.Layout);
        Assert.Equal([0, 1, 2, 3, 4, 5], report.LabelValues);
        Assert.Equal(2, report.Cases.Count);
    }

    [Fact]
    public void ValidNnUnetFolder_TwoChannels_NoProblems()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteNnUnet(dir.Path);

        var report = MsdDatasetValidator.Validate(dir.Path);

        Assert.Empty(report.Problems);
        Assert.Equal(DatasetLayout.NnUnetV2, report.Layout);
        Assert.Equal(["imagesTr/la_002_0000.nii.gz", "imagesTr/la_002_0001.nii.gz"], report.Cases[1].Images);
        Assert.Equal("labelsTr/la_002.nii.gz", report.Cases[1].Label);
    }

    [Fact]
    public void ImagesTsFolderAbsent_IsFine_ButListedTestFileMissingFromShippedFolderIsNot()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteMsd(dir.Path);
        File.Delete(Path.Combine(dir.Path, "imagesTs", "la_100.nii.gz"));
        Assert.Equal(["imagesTs/la_100.nii.gz: missing"], Problems(dir.Path));

        Directory.Delete(Path.Combine(dir.Path, "imagesTs"));
        var report = MsdDatasetValidator.Validate(dir.Path);
        Assert.True(report.IsValid);
        Assert.Empty(report.TestImages);
    }

    [Fact]
    public void MissingLabelFile_Listed()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteMsd(dir.Path);
        File.Delete(Path.Combine(dir.Path, "labelsTr", "la_002.nii.gz"));

        Assert.Equal(["labelsTr/la_002.nii.gz: missing"], Problems(dir.Path));
    }

    [Fact]
    public void ImageNotListedInTraining_HasNoLabel()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteMsd(dir.Path);
        NiftiWriter.Write(MsdFixture.Image(7), Path.Combine(dir.Path, "imagesTr", "la_077.nii.gz"));

        Assert.Equal(["imagesTr/la_077.nii.gz: image has no label (not listed in dataset.json training)"], Problems(dir.Path));
    }

    [Fact]
    public void NnUnet_ImageWithoutLabel_AndMissingChannel_Listed()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteNnUnet(dir.Path);
        File.Delete(Path.Combine(dir.Path, "labelsTr", "la_003.nii.gz"));
        File.Delete(Path.Combine(dir.Path, "imagesTr", "la_001_0001.nii.gz"));

        var problems = Problems(dir.Path);

        Assert.Contains("imagesTr/la_001_0001.nii.gz: missing: label labelsTr/la_001.nii.gz has no image for channel 0001", problems);
        Assert.Contains("imagesTr/la_003_0000.nii.gz: image has no label (labelsTr/la_003.nii.gz missing)", problems);
        Assert.Contains("dataset.json: numTraining is 3 but labelsTr holds 2 cases", problems);
    }

    [Fact]
    public void NnUnet_NonNiftiFileEnding_Listed()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteNnUnet(dir.Path);
        MsdFixture.EditJson(dir.Path, j => j.Replace("\".nii.gz\"", "\".mha\""));

        Assert.Equal(["dataset.json: file_ending is \".mha\"; only NIfTI (\".nii.gz\" or \".nii\") can be imported"], Problems(dir.Path));
    }

    [Fact]
    public void ShapeMismatch_Listed()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteMsd(dir.Path);
        NiftiWriter.Write(MsdFixture.Label(sizeZ: 6), Path.Combine(dir.Path, "labelsTr", "la_004.nii.gz"));

        Assert.Equal(["labelsTr/la_004.nii.gz: shape 8×8×6 differs from image imagesTr/la_004.nii.gz (8×8×8)"], Problems(dir.Path));
    }

    [Fact]
    public void AffineMismatch_Listed_TinyDifferenceTolerated()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteMsd(dir.Path);
        double[] moved = Volume.DiagonalAffine([1, 1, 2]); moved[7] = 4;     // 4 mm shift along y
        double[] nudged = Volume.DiagonalAffine([1, 1, 2]); nudged[3] = 1e-4;
        NiftiWriter.Write(MsdFixture.Label(affine: moved), Path.Combine(dir.Path, "labelsTr", "la_001.nii.gz"));
        NiftiWriter.Write(MsdFixture.Label(affine: nudged), Path.Combine(dir.Path, "labelsTr", "la_002.nii.gz"));

        var problem = Assert.Single(Problems(dir.Path));
        Assert.StartsWith("labelsTr/la_001.nii.gz: affine differs from image imagesTr/la_001.nii.gz: element [1,3] is 4 in the label but 0 in the image", problem);
    }

    [Fact]
    public void LabelValueOutsideDatasetJson_Listed()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteMsd(dir.Path);
        NiftiWriter.Write(MsdFixture.Label(extra: 7), Path.Combine(dir.Path, "labelsTr", "la_003.nii.gz"));

        Assert.Equal(["labelsTr/la_003.nii.gz: label value 7 not in dataset.json labels {0,1,2}"], Problems(dir.Path));
    }

    [Fact]
    public void UnreadableFile_Listed()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteMsd(dir.Path);
        File.WriteAllBytes(Path.Combine(dir.Path, "imagesTr", "la_005.nii.gz"), [1, 2, 3, 4, 5]);
        File.WriteAllBytes(Path.Combine(dir.Path, "imagesTs", "la_100.nii.gz"), new byte[400]);

        var problems = Problems(dir.Path);

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("imagesTr/la_005.nii.gz: unreadable NIfTI: ", problems[0]);
        Assert.StartsWith("imagesTs/la_100.nii.gz: unreadable NIfTI: ", problems[1]);
    }

    [Fact]
    public void BadDatasetJson_EveryProblemListed()
    {
        using var dir = new TempDirectory();
        MsdFixture.WriteMsd(dir.Path);
        MsdFixture.EditJson(dir.Path, j => j.Replace("\"numTraining\":5", "\"numTraining\":6").Replace("\"1\":\"left\"", "\"one\":\"left\"")
                                            .Replace("./labelsTr/la_005.nii.gz", "/data/labelsTr/la_005.nii.gz"));

        var problems = Problems(dir.Path);

        Assert.Contains("dataset.json: labels: key \"one\" is not an integer label id (MSD style maps id → name)", problems);
        Assert.Contains("dataset.json: numTraining is 6 but training lists 5 cases", problems);
        Assert.Contains(problems, p => p.StartsWith("dataset.json: training[4].label: \"/data/labelsTr/la_005.nii.gz\" must be a path inside the dataset folder"));
        Assert.Contains("imagesTr/la_005.nii.gz: image has no label (not listed in dataset.json training)", problems);
    }

    [Fact]
    public void MissingDatasetJson_AndMissingFolder()
    {
        using var dir = new TempDirectory();
        Assert.Equal(["dataset.json: missing (expected dataset.json at the top of the dataset folder)"], Problems(dir.Path));
        Assert.Single(Problems(dir.File("nope")));
    }
}

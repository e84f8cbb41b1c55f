using MedSeg.Core.Nifti;

namespace MedSeg.Cli.Tests.Commands;

public class PreprocessCommandTests
{
    [Fact]
    public async Task Preprocess_Phantom_PrintsStepTimes_WritesRasVolumes_AndPatches()
    {
        using var dir = new TempDirectory();
        string ds = dir.File("ds");
        Assert.Equal(0, (await CliRun.InvokeAsync("generate", "phantom", "--out", ds, "--count", "1", "--size", "48,48,12")).ExitCode);
        string options = dir.File("options.json");
        File.WriteAllText(options, "{\"targetSpacing\": [1.2, 1.2, 3], \"patchSize\": [16, 16, 8], \"samplesPerVolume\": 3}");

        var run = await CliRun.InvokeAsync("preprocess", Path.Combine(ds, "imagesTr", "phantom_000_0000.nii.gz"),
            "--label", Path.Combine(ds, "labelsTr", "phantom_000.nii.gz"), "--options", options,
            "--out-image", dir.File("img.nii.gz"), "--out-label", dir.File("lab.nii.gz"), "--patches", "4");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("input 48×48×12 LPS", run.Output);
        Assert.Contains("spacing:", run.Output);
        Assert.Contains("patches: 3 of 16×16×8", run.Output);
        var image = NiftiReader.Read(dir.File("img.nii.gz"));
        Assert.Equal([1.2, 1.2, 3.0], image.Spacing.Select(s => Math.Round(s, 5)).ToArray());
        Assert.True(image.Affine[0] > 0 && image.Affine[5] > 0); // RAS
        Assert.Equal(image.SizeX, NiftiReader.Read(dir.File("lab.nii.gz")).SizeX);
    }

    [Fact]
    public async Task Preprocess_BadOptions_ExitOneNamingField()
    {
        using var dir = new TempDirectory();
        string options = dir.File("options.json");
        File.WriteAllText(options, "{\"flipProbability\": 2}");
        var image = dir.File("x.nii.gz");
        NiftiWriter.Write(MedSeg.Core.Volumes.Volume.Create<short>(8, 8, 8), image);

        var run = await CliRun.InvokeAsync("preprocess", image, "--options", options);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("flipProbability", run.Error);
        Assert.Contains("options.json", run.Error);
    }
}

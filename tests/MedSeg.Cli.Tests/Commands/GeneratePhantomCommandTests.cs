using MedSeg.Core.Nifti;

namespace MedSeg.Cli.Tests.Commands;

public class GeneratePhantomCommandTests
{
    [Fact]
    public async Task GeneratePhantom_WritesMsdDataset_WithRequestedSizeAndSpacing()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "ds");

        var run = await CliRun.InvokeAsync("generate", "phantom", "--out", output, "--count", "2", "--test-count", "1",
            "--size", "40,32,12", "--spacing", "1,1,3", "--seed", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("SYNTHETIC phantom: 2 training + 1 test", run.Output);
        Assert.Contains("Volumes/s:", run.Output);
        var image = NiftiReader.Read(Path.Combine(output, "imagesTr", "phantom_001_0000.nii.gz"));
        Assert.Equal((40, 32, 12), (image.SizeX, image.SizeY, image.SizeZ));
        Assert.Equal([1.0, 1.0, 3.0], image.Spacing);
        Assert.True(File.Exists(Path.Combine(output, "labelsTr", "phantom_001.nii.gz")));
        Assert.True(File.Exists(Path.Combine(output, "imagesTs", "phantom_002_0000.nii.gz")));
        Assert.Contains("SYNTHETIC", File.ReadAllText(Path.Combine(output, "dataset.json")));
    }

    [Theory]
    [InlineData("--size", "40,32", "--size expects three integers")]
    [InlineData("--size", "4,32,12", "size[0] must be in 8..1024, got 4")]
    [InlineData("--spacing", "1,0,3", "spacing[1]")]
    public async Task GeneratePhantom_BadArguments_ExitOneWithMessage_NoFiles(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "ds");

        var run = await CliRun.InvokeAsync("generate", "phantom", "--out", output, "--count", "1", option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task GeneratePhantom_SpecFile_IsUsed_AndMissingSpecFileIsNamed()
    {
        using var dir = new TempDirectory();
        string spec = dir.File("spec.json");
        File.WriteAllText(spec, "{\"size\": [24, 24, 8], \"noiseSigmaHu\": 5}");
        var ok = await CliRun.InvokeAsync("generate", "phantom", "--out", dir.File("a"), "--count", "1", "--spec", spec);
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(24, NiftiReader.ReadHeader(Path.Combine(dir.File("a"), "imagesTr", "phantom_000_0000.nii.gz")).SizeX);

        var missing = await CliRun.InvokeAsync("generate", "phantom", "--out", dir.File("b"), "--count", "1", "--spec", dir.File("nope.json"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nope.json", missing.Error);
    }
}

public class PhantomBenchCommandTests
{
    [Fact]
    public async Task BenchPhantom_PrintsGenerationAndPreprocessingFigures()
    {
        var run = await CliRun.InvokeAsync("bench", "phantom", "--size", "24,24,8", "--count", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("generate         threads  1:", run.Output);
        Assert.Contains("prepare", run.Output);
        Assert.Contains("spacing", run.Output);
        Assert.Contains("augment", run.Output);
        Assert.Matches(@"\d+\.\d\d volumes/s", run.Output);
    }
}

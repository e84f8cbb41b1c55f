using MedSeg.Core.Nifti;

namespace MedSeg.Cli.Tests.Commands;

public class GenerateVolfCommandTests
{
    [Fact]
    public async Task GenerateVolf_FromPhantomSources_WritesMsdLayoutWithKeptSources_ByteIdenticalForTheSameSeed()
    {
        using var dir = new TempDirectory();
        string src = dir.File("phantom");
        Assert.Equal(0, (await CliRun.InvokeAsync("generate", "phantom", "--out", src, "--count", "2", "--test-count", "1",
            "--size", "40,32,12", "--seed", "1")).ExitCode);

        string[] Args(string output, string seed) =>
            ["generate", "volf", "--source", src, "--out", output, "--count", "2", "--size", "8,16,24", "--seed", seed, "--keep-sources", "--threads", "1"];
        var run = await CliRun.InvokeAsync(Args(dir.File("a"), "3"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("2 samples of 8×16×24 from 3 sources", run.Output);
        Assert.Contains("Samples/s:", run.Output);
        Assert.Equal(0, (await CliRun.InvokeAsync(Args(dir.File("b"), "3"))).ExitCode);

        var image = NiftiReader.Read(Path.Combine(dir.File("a"), "imagesTr", "volf_0001_0000.nii.gz"));
        Assert.Equal((24, 16, 8), (image.SizeX, image.SizeY, image.SizeZ));
        foreach (var f in new[] { "imagesTr/volf_0000_0000.nii.gz", "labelsTr/volf_0000.nii.gz", "sources/volf_0000_bg.nii.gz",
                     "sources/volf_0001_fg.nii.gz", "dataset.json", "manifest.jsonl", "volf.json" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("a"), f)), File.ReadAllBytes(Path.Combine(dir.File("b"), f)));
        // Phantom sources are an MSD folder: its labels are never fused.
        Assert.DoesNotContain("labelsTr", File.ReadAllText(Path.Combine(dir.File("a"), "manifest.jsonl")));
    }

    [Theory]
    [InlineData("--size", "8,16", "--size expects three integers")]
    [InlineData("--size", "8,2,16", "size[1] must be in 4..512, got 2")]
    [InlineData("--classes", "1", "classes must be in 2..32, got 1")]
    [InlineData("--count", "0", "--count must be in 1..100000, got 0")]
    public async Task GenerateVolf_BadArguments_ExitOneWithMessage_NoFiles(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("src"));
        NiftiWriter.Write(MedSeg.Core.Volumes.Volume.Create<short>(8, 8, 8), dir.File("src/a.nii.gz"));
        string output = dir.File("ds");
        var given = new Dictionary<string, string> { ["--count"] = "1", ["--size"] = "8,8,8", [option] = value };
        string[] args = ["generate", "volf", "--source", dir.File("src"), "--out", output, .. given.SelectMany(p => new[] { p.Key, p.Value })];
        var run = await CliRun.InvokeAsync(args);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task GenerateVolf_UnreadableSource_IsNamed_NoFiles()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("src"));
        File.WriteAllText(dir.File("src/bad.nii.gz"), "nope");
        var run = await CliRun.InvokeAsync("generate", "volf", "--source", dir.File("src"), "--out", dir.File("ds"), "--count", "1", "--size", "8,8,8");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("source bad.nii.gz: unreadable", run.Error);
        Assert.False(Directory.Exists(dir.File("ds")));
    }
}

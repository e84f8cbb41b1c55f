namespace MedSeg.Cli.Tests.Commands;

public class VolumeBenchCommandTests
{
    [Fact]
    public async Task Bench_SmallVolume_ReportsBothFormatsAndCleansUp()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync("volume", "bench", "--size", "24,16,8", "--dir", dir.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("volume 24×16×8 int16", run.Output);
        Assert.Matches(@"\.nii +write .* read .*identical", run.Output);
        Assert.Matches(@"\.nii\.gz +write .* read .*identical", run.Output);
        Assert.Matches(@"\.nii\.gz before +write .* pair .* s CPU\)  file", run.Output);
        Assert.Matches(@"\.nii\.gz after +write .* pair .*× faster", run.Output);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Bench_BadSize_IsRejected()
    {
        var run = await CliRun.InvokeAsync("volume", "bench", "--size", "24,16");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--size must be three positive integers X,Y,Z, got '24,16'", run.Error);
    }
}

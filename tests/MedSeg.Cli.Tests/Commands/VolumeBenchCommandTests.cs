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
        Assert.Contains("viewer form    n/a (the file is one gzip member", run.Output); // 6 kB: one member
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Bench_VolumeOfSeveralMembers_TimesTheViewerForm()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync("volume", "bench", "--size", "128,128,40", "--dir", dir.Path); // 1.3 MB: two 1 MiB members

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"1024 KiB members", run.Output);
        Assert.Matches(@"viewer form +[0-9.]+ s .* 1\.3 MB one member of stored blocks", run.Output);
    }

    [Fact]
    public async Task Bench_BadSize_IsRejected()
    {
        var run = await CliRun.InvokeAsync("volume", "bench", "--size", "24,16");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--size must be three positive integers X,Y,Z, got '24,16'", run.Error);
    }
}

namespace MedSeg.Cli.Tests.Commands;

public class BenchGenerateCommandTests
{
    [Fact]
    public async Task Prints_volumes_per_second_in_memory_and_written_for_one_and_all_threads()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("bench", "generate", "--size", "32", "--count", "2");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"in memory\s+threads\s+1:\s+[\d.]+ volumes/s", stdout);
        Assert.Matches(@"write \.nii\.gz\s+threads\s+1:\s+[\d.]+ volumes/s", stdout);
        if (Environment.ProcessorCount > 1)
            Assert.Matches($@"in memory\s+threads\s+{Environment.ProcessorCount}:", stdout);
    }
}

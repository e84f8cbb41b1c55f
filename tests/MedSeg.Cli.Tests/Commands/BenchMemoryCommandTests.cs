namespace MedSeg.Cli.Tests.Commands;

/// <summary>`bench train --memory` and `predict bench --sw-batch auto` print their figures (tiny networks, few steps).</summary>
public class BenchMemoryCommandTests
{
    [Fact]
    public async Task TrainMemory_PrintsStartUp_Steps_AndTheFinalLine()
    {
        var run = await CliRun.InvokeAsync("bench", "train", "--memory", "--model", "BasicUNet", "--size", "16", "--steps", "11",
            "--classes", "2", "--device", "cpu");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"start-up: rss \d+ MB, \d+ MB with the network \(\d+ MB of parameters\), \d+ MB with the optimiser", run.Output);
        Assert.Matches(@"step 1: rss \d+ MB, peak \d+ MB, \d+ ms/step", run.Output);
        Assert.Matches(@"(?m)^memory: step 10 \d+ MB, step 11 \d+ MB, peak \d+ MB\s*$", run.Output);
    }

    [Theory]
    [InlineData(2000, 2000, "+0.0")]
    [InlineData(1999_999, 2000_000, "+0.0")] // -0.00005 %: printed "-+0.0" by the format's negative section
    [InlineData(2002, 2000, "+0.1")]
    [InlineData(2600, 2678, "-2.9")]
    [InlineData(3000, 2000, "+50.0")]
    public void TrainMemory_Growth_IsSignedWithOneDecimal(long to, long from, string expected) =>
        Assert.Equal(expected, MedSeg.Cli.Commands.TrainMemoryBench.Growth(to, from));

    [Fact]
    public async Task TrainMemory_BadSize_IsRejected()
    {
        var run = await CliRun.InvokeAsync("bench", "train", "--memory", "--size", "16,16", "--steps", "2");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--size must be one edge or D,H,W, each in 8..512, got '16,16'", run.Error);
    }

    [Fact]
    public async Task PredictBench_AutoSwBatch_ReportsTheChosenBatch_AndPeak()
    {
        var run = await CliRun.InvokeAsync("predict", "bench", "--model", "BasicUNet", "--size", "24", "--roi", "16", "--overlap", "0.5",
            "--repeat", "1", "--sw-batch", "auto", "--device", "cpu");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"pass 1: [\d.]+ s \([\d.]+ s CPU\), sw-batch [1-4]", run.Output);
        Assert.Matches(@"mean [\d.]+ s per volume \([\d.]+ s CPU\), [\d.]+ s per window, peak \d+ MB", run.Output);
        Assert.Matches(@"load average ([\d.]+ ){2}[\d.]+", run.Output);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("257")]
    [InlineData("many")]
    public async Task PredictBench_BadSwBatch_IsRejected(string value)
    {
        var run = await CliRun.InvokeAsync("predict", "bench", "--model", "BasicUNet", "--size", "16", "--roi", "16", "--sw-batch", value);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"--sw-batch '{value}' must be auto or an integer in 1..256", run.Error);
    }
}

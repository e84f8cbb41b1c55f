namespace MedSeg.Cli.Tests.Commands;

public class TrainVolfCommandTests
{
    [Fact]
    public async Task TrainVolf_TinyPctNetOnPhantomSources_CompletesAndRecordsTheMethod()
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync("train", "volf", "--out", dir.File("run"), "--phantom-sources", "2", "--crop", "16,32,32",
            "--model-arg", "feature_chns=[4, 4, 8, 8, 8]", "--model-arg", "num_heads=[1, 1, 1]", "--model-arg", "window_sizes=[4, 2, 2]",
            "--steps", "3", "--batch", "1", "--threads", "1", "--device", "cpu", "--step-size", "2");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("completed: 3/3 steps", run.Output);
        var config = File.ReadAllText(Path.Combine(dir.File("run"), "config.json"));
        Assert.Contains("\"method\": \"volf\"", config);
        Assert.Contains("\"variant\": \"Paper\"", config);
        Assert.Contains("\"optimizer\": \"Adam\"", config); // the MIS-FM preset: Adam + StepLR γ 0.5
        Assert.Contains("StepLR step_size 2, gamma 0.5", config);
        Assert.True(File.Exists(Path.Combine(dir.File("run"), "checkpoints", "step-000000003", "model.safetensors")));
    }

    [Theory]
    [InlineData("--crop", "12,32,32", "volf.size[0]")]
    [InlineData("--batch", "0", "batchSize (--batch) must be in 1..64, got 0")]
    [InlineData("--model", "Nope", "model must be one of PCTNet, BasicUNet, SwinUNETR, UNETR")]
    [InlineData("--gamma", "1.5", "gamma must be in (0, 1], got 1.5")]
    [InlineData("--step-size", "0", "stepSize must be in 1..")]
    public async Task TrainVolf_BadArguments_ExitOneNamingTheField(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync("train", "volf", "--out", dir.File("run"), "--phantom-sources", "1", option, value);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error);
    }
}

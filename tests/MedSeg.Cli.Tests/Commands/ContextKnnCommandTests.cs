using System.Text.Json;

namespace MedSeg.Cli.Tests.Commands;

/// <summary>`medseg model verify` on the 2.5D-context fixtures, `medseg train context` and `medseg evaluate knn`.</summary>
public sealed class ContextKnnCommandTests : IDisposable
{
    private readonly string _dir = CliRunner.TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("context_convnet")]
    [InlineData("context_heatnet")]
    [InlineData("context_offnet")]
    [InlineData("context_doerschnet")]
    [InlineData("context_doerschdecode")]
    public async Task Model_Verify_Accepts_The_Context_Fixtures(string name)
    {
        var (code, output, error) = await CliRunner.RunAsync("model", "verify",
            Path.Combine(MedSeg.Training.Tests.Fixtures.Context, name + ".safetensors"), "--tolerance", "1e-5");
        Assert.True(code == 0, output + error);
        Assert.Contains("PASS", output);
    }

    [Fact]
    public async Task Bad_Knn_And_Train_Input_Is_Refused_Naming_Field_And_Limit_And_Leaves_Nothing()
    {
        var run = Path.Combine(_dir, "run");
        Directory.CreateDirectory(run);
        var (code, _, error) = await CliRunner.RunAsync("evaluate", "knn", "--run", run, "--dataset", _dir, "--atlases", "10");
        Assert.Equal(1, code);
        Assert.Contains("Atlases: 10 is outside 1..9", error);
        (code, _, error) = await CliRunner.RunAsync("evaluate", "knn", "--run", run, "--dataset", _dir, "--protocol", "cosine");
        Assert.Equal(1, code);
        Assert.Contains("--protocol: 'cosine'", error);
        Assert.False(Directory.Exists(Path.Combine(run, "knn")));

        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var ctx = Path.Combine(_dir, "ctx");
        (code, _, error) = await CliRunner.RunAsync("train", "context", "--source", empty, "--out", ctx, "--steps", "2", "--device", "cpu");
        Assert.Equal(1, code);
        Assert.Contains("no .nii", error);
        Assert.False(Directory.Exists(ctx));
        (code, _, error) = await CliRunner.RunAsync("train", "context", "--source", empty, "--out", ctx, "--task", "jigsaw");
        Assert.Equal(1, code);
        Assert.Contains("--task must be heatmap or reg2d", error);
    }

    [Fact]
    public async Task Tiny_Context_Run_Then_One_Shot_Knn_Keeps_Report_And_Label_Transfer()
    {
        var raw = Path.Combine(_dir, "raw");
        var data = Path.Combine(_dir, "phantom");
        Assert.Equal(0, (await CliRunner.RunAsync("generate", "phantom", "--out", raw, "--count", "4", "--size", "32,32,16", "--seed", "2")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("import", "msd", raw, "--out", data, "--val", "0.25", "--test", "0.25", "--seed", "1")).ExitCode);
        var ctx = Path.Combine(_dir, "ctx");
        var (code, output, error) = await CliRunner.RunAsync("train", "context", "--task", "reg2d", "--source", data, "--out", ctx,
            "--steps", "2", "--batch", "1", "--device", "cpu", "--threads", "1");
        Assert.True(code == 0, output + error);

        (code, output, error) = await CliRunner.RunAsync("evaluate", "knn", "--run", ctx, "--dataset", data, "--atlases", "1",
            "--stride", "8", "--json", "--threads", "1");
        Assert.True(code == 0, output + error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("2.5D context, 192-d", json.RootElement.GetProperty("descriptor").GetString());
        Assert.Equal("paper", json.RootElement.GetProperty("options").GetProperty("protocol").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("dicePerOrgan").EnumerateObject().Count());
        var knn = Path.Combine(ctx, "knn");
        Assert.True(File.Exists(Path.Combine(knn, "phantom_paper_n1_s0.json")));
        Assert.True(File.Exists(Path.Combine(knn, "phantom_paper_n1_s0.transfer.nii.gz")));
    }
}

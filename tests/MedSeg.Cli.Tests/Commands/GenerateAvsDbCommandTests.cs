using System.Text.Json.Nodes;
using MedSeg.Cli.Commands;
using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Cli.Tests.Commands;

public class GenerateAvsDbCommandTests : IDisposable
{
    private readonly string _dir = CliRunner.TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Generates_a_dataset_with_progress_and_summary()
    {
        string outDir = Path.Combine(_dir, "ds");
        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "generate", "avsdb", "--out", outDir, "--count", "5", "--size", "32", "--seed", "9", "--threads", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains("5/5 volumes", stderr);
        Assert.Contains("vol/s", stderr);
        Assert.Contains("Volumes: 5 (5 written, 0 already present)", stdout);
        Assert.Contains("Volumes/s:", stdout);
        Assert.Matches(@"Shapes placed: \d+", stdout);
        Assert.Matches(@"Shapes dropped: \d+", stdout);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "dataset.json")))!;
        Assert.Equal(5, json["numTraining"]!.GetValue<int>());
        Assert.Equal(17, json["labels"]!.AsObject().Count); // paper-best: 16 classes + background
        Assert.Equal(5, Directory.GetFiles(Path.Combine(outDir, "labelsTr")).Length);
        Assert.Equal(32, AvsDbSpec.Load(Path.Combine(outDir, "spec.json")).VolumeSize);

        // Same command again: everything already present.
        (code, stdout, _) = await CliRunner.RunAsync(
            "generate", "avsdb", "--out", outDir, "--count", "5", "--size", "32", "--seed", "9");
        Assert.Equal(0, code);
        Assert.Contains("Volumes: 5 (0 written, 5 already present)", stdout);
    }

    [Fact]
    public async Task Code_default_preset_and_a_spec_file_are_accepted()
    {
        string outDir = Path.Combine(_dir, "code");
        var (code, _, stderr) = await CliRunner.RunAsync(
            "generate", "avsdb", "--out", outDir, "--count", "1", "--size", "32", "--preset", "code-default");
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "dataset.json")))!;
        Assert.Equal(33, json["labels"]!.AsObject().Count);

        string specPath = Path.Combine(_dir, "filled.json");
        File.WriteAllText(specPath, (AvsDbSpec.PaperBest(32) with { Image = new AvsDbImageSpec { Mode = ImageMode.Filled } }).ToJson());
        (code, _, stderr) = await CliRunner.RunAsync(
            "generate", "avsdb", "--out", Path.Combine(_dir, "filled"), "--count", "1", "--spec", specPath);
        Assert.True(code == 0, stderr);
        Assert.Equal(ImageMode.Filled, AvsDbSpec.Load(Path.Combine(_dir, "filled", "spec.json")).Image.Mode);
    }

    [Fact]
    public async Task A_bad_spec_file_is_reported_with_file_field_and_value()
    {
        string specPath = Path.Combine(_dir, "bad.json");
        File.WriteAllText(specPath, AvsDbSpec.PaperBest(32).ToJson().Replace("\"OverlapLimit\": 0.7", "\"OverlapLimit\": 1.5"));
        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "generate", "avsdb", "--out", Path.Combine(_dir, "x"), "--count", "1", "--spec", specPath);
        Assert.NotEqual(0, code);
        Assert.Contains(specPath, stderr);
        Assert.Contains("OverlapLimit must be in (0, 1], got 1.5", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));

        File.WriteAllText(specPath, "{ \"ShapesPerVolume\": \"many\" }");
        (code, _, stderr) = await CliRunner.RunAsync(
            "generate", "avsdb", "--out", Path.Combine(_dir, "x"), "--count", "1", "--spec", specPath);
        Assert.NotEqual(0, code);
        Assert.Contains("$.ShapesPerVolume", stderr);
    }

    [Fact]
    public async Task Conflicting_or_missing_options_fail()
    {
        var (code, _, stderr) = await CliRunner.RunAsync(
            "generate", "avsdb", "--out", Path.Combine(_dir, "y"), "--count", "1", "--spec", "a.json", "--preset", "paper-best");
        Assert.NotEqual(0, code);
        Assert.Contains("either --spec or --preset", stderr);
        (code, _, _) = await CliRunner.RunAsync("generate", "avsdb", "--count", "1");
        Assert.NotEqual(0, code);
        (code, _, _) = await CliRunner.RunAsync("generate", "avsdb", "--out", "z", "--count", "1", "--preset", "nope");
        Assert.NotEqual(0, code);
    }

    [Fact]
    public void Progress_line_shows_counts_rate_and_eta()
    {
        var line = ConsoleProgressBar.Format(new GenerationProgress(25, 100, 0, 500, 3, TimeSpan.FromSeconds(5)), 20);
        Assert.Equal("[#####...............] 25/100 volumes  5.0 vol/s  ETA 00:15", line);
    }
}

using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Training.Inference;
using MedSeg.Training.Networks;

namespace MedSeg.Cli.Tests.Commands;

public class PredictCommandTests
{
    private static readonly Dictionary<string, string> UNetArguments =
        new() { ["in_channels"] = "1", ["out_channels"] = "3", ["features"] = "(4, 4, 8, 8, 8, 4)" };

    /// <summary>A checkpointed tiny BasicUNet (in a run-like folder) and a 20×18×17 image with a non-trivial affine.</summary>
    private static (string RunFolder, string ImagePath, Volume Image) Setup(TempDirectory dir)
    {
        var run = Directory.CreateDirectory(dir.File("run")).FullName;
        using (var net = ModelFactory.Create("BasicUNet", UNetArguments))
            ModelCheckpoint.Save(net, Path.Combine(run, "model.safetensors"), "BasicUNet", UNetArguments);
        var values = new float[20 * 18 * 17];
        var rng = new Random(5);
        for (int i = 0; i < values.Length; i++) values[i] = (float)rng.NextDouble();
        var image = new Volume(20, 18, 17, values, [1.5, 1.5, 2], [0, 0, -2, 30, 1.5, 0, 0, -4, 0, 1.5, 0, 9, 0, 0, 0, 1]);
        var imagePath = dir.File("image.nii.gz");
        NiftiWriter.Write(image, imagePath);
        return (run, imagePath, NiftiReader.Read(imagePath));
    }

    [Fact]
    public async Task Predict_Writes_The_Label_Map_Of_The_Sliding_Window_Prediction()
    {
        using var dir = new TempDirectory();
        var (run, imagePath, image) = Setup(dir);
        var outPath = dir.File("pred.nii.gz");

        var result = await CliRun.InvokeAsync("predict", "--checkpoint", run, "--image", imagePath, "--out", outPath,
            "--roi", "16", "--overlap", "0.5", "--mode", "gaussian", "--device", "cpu", "--sw-batch", "2");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("wrote", result.Output);
        var written = NiftiReader.Read(outPath);
        Assert.Equal(VoxelType.UInt8, written.Type);
        Assert.Equal(image.Affine, written.Affine);
        Assert.Equal(image.Spacing, written.Spacing);
        // Same as running the library directly on the same checkpoint.
        using var model = ModelCheckpoint.Load(Path.Combine(run, "model.safetensors"));
        var expected = new VolumePredictor(model, new SlidingWindowOptions { RoiSize = [16], Overlap = 0.5, Mode = BlendMode.Gaussian })
            .PredictLabels(image);
        Assert.Equal(expected.As<byte>(), written.As<byte>());
        Assert.All(written.As<byte>(), b => Assert.InRange(b, (byte)0, (byte)2));
    }

    [Fact]
    public async Task Predict_With_Label_Prints_Dice_Of_The_Written_Prediction()
    {
        using var dir = new TempDirectory();
        var (run, imagePath, image) = Setup(dir);
        var outPath = dir.File("pred.nii.gz");
        // First predict without a label, then use that very prediction as the reference: Dice must be 1 for every class present.
        Assert.Equal(0, (await CliRun.InvokeAsync("predict", "--checkpoint", run, "--image", imagePath, "--out", outPath, "--roi", "16")).ExitCode);
        var reference = dir.File("reference.nii.gz");
        File.Copy(outPath, reference);

        var result = await CliRun.InvokeAsync("predict", "--checkpoint", run, "--image", imagePath, "--out", outPath, "--roi", "16", "--label", reference);

        Assert.True(result.ExitCode == 0, result.Error);
        var rows = result.Output.Split('\n').Where(l => l.TrimStart().StartsWith("mean", StringComparison.Ordinal)).ToList();
        Assert.Contains("1.0000", Assert.Single(rows));
        Assert.Contains("Dice", result.Output);
    }

    [Fact]
    public async Task Label_Of_Another_Shape_Fails_Before_Inference()
    {
        using var dir = new TempDirectory();
        var (run, imagePath, _) = Setup(dir);
        var wrong = dir.File("wrong.nii.gz");
        NiftiWriter.Write(Volume.Create<byte>(4, 4, 4), wrong);
        var outPath = dir.File("pred.nii.gz");
        var result = await CliRun.InvokeAsync("predict", "--checkpoint", run, "--image", imagePath, "--out", outPath, "--label", wrong);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("4×4×4", result.Error);
        Assert.False(File.Exists(outPath));
    }

    [Theory]
    [InlineData("--roi", "0", "--roi")]
    [InlineData("--roi", "16,16", "--roi")]
    [InlineData("--overlap", "1", "--overlap")]
    [InlineData("--mode", "median", "median")]
    [InlineData("--device", "tpu", "tpu")]
    public async Task Bad_Options_Exit_1_With_A_Message(string option, string value, string mentioned)
    {
        using var dir = new TempDirectory();
        var (run, imagePath, _) = Setup(dir);
        var outPath = dir.File("pred.nii.gz");
        var result = await CliRun.InvokeAsync("predict", "--checkpoint", run, "--image", imagePath, "--out", outPath, option, value);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(mentioned, result.Error);
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public async Task Missing_Checkpoint_Is_Reported_And_Nothing_Written()
    {
        using var dir = new TempDirectory();
        var (_, imagePath, _) = Setup(dir);
        var empty = Directory.CreateDirectory(dir.File("empty")).FullName;
        var outPath = dir.File("pred.nii.gz");
        var result = await CliRun.InvokeAsync("predict", "--checkpoint", empty, "--image", imagePath, "--out", outPath);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("model.safetensors", result.Error);
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public async Task Bench_Reports_Windows_And_Times()
    {
        var result = await CliRun.InvokeAsync("predict", "bench", "--model", "BasicUNet", "--arg", "features=(4, 4, 8, 8, 8, 4)",
            "--size", "20", "--roi", "16", "--overlap", "0.5", "--repeat", "1", "--device", "cpu");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("8 windows", result.Output);   // starts 0 and 4 on each axis
        Assert.Contains("pass 1:", result.Output);
    }

    [Fact]
    public async Task Bench_NonCubicSize_CountsWindowsPerAxis()
    {
        var result = await CliRun.InvokeAsync("predict", "bench", "--model", "BasicUNet", "--arg", "features=(4, 4, 8, 8, 8, 4)",
            "--size", "24,20,16", "--roi", "16", "--overlap", "0.5", "--repeat", "1", "--device", "cpu");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("image 24×20×16", result.Output);
        Assert.Contains("4 windows", result.Output);   // two starts along the first two axes, one along the third

        var bad = await CliRun.InvokeAsync("predict", "bench", "--size", "24,20", "--device", "cpu");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--size must be one edge or D,H,W, each in 8..512, got '24,20'", bad.Error);
    }

    [Fact]
    public async Task Bench_Profile_Lists_Sections_With_The_Fused_Attention()
    {
        var result = await CliRun.InvokeAsync("predict", "bench", "--model", "SwinUNETR", "--arg", "feature_size=12",
            "--size", "32", "--roi", "32", "--repeat", "1", "--device", "cpu", "--profile");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("section", result.Output);
        Assert.Matches(@"sw predictor \(network\) +1 ", result.Output);   // one window per pass
        Assert.Contains("swin c12 attn fused sdpa", result.Output);           // inference takes the fused kernel
        Assert.Contains("cnn decoder1 (full res)", result.Output);
    }
}

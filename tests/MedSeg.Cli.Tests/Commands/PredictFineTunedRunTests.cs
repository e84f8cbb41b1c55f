using System.Text.Json;
using MedSeg.Core.Generators.Phantom;
using MedSeg.Core.Nifti;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Volumes;
using MedSeg.Training.Inference;
using MedSeg.Training.Networks;

namespace MedSeg.Cli.Tests.Commands;

/// <summary>
/// `medseg predict` on a fine-tuned run: the run's recorded preprocessing is applied and the labels come back on the
/// input grid. Images are SYNTHETIC phantoms: anisotropic (0.8 × 0.8 × 2.5 mm) and LPS, so orientation and resampling both act.
/// </summary>
public class PredictFineTunedRunTests
{
    private static readonly Dictionary<string, string> UNetArguments =
        new() { ["in_channels"] = "1", ["out_channels"] = "6", ["features"] = "(4, 4, 8, 8, 16, 4)" };

    /// <summary>A run folder as fine-tuning leaves it (config.json + checkpoints/best/model.safetensors), random weights.</summary>
    private static (string Run, PreprocessingOptions Preprocessing) FineTuneLikeRun(TempDirectory dir)
    {
        var run = dir.File("run");
        var best = Directory.CreateDirectory(Path.Combine(run, "checkpoints", "best")).FullName;
        using (var net = ModelFactory.Create("BasicUNet", UNetArguments))
            ModelCheckpoint.Save(net, Path.Combine(best, "model.safetensors"), "BasicUNet", UNetArguments);
        var preprocessing = PreprocessingOptions.Default with { PatchSize = [32, 32, 32] };
        File.WriteAllText(Path.Combine(run, "config.json"),
            $$"""{ "runType": "finetune", "options": { "overlap": 0.25 }, "preprocessing": {{preprocessing.ToJson()}} }""");
        return (run, preprocessing);
    }

    private static string PhantomImage(TempDirectory dir, int[] size)
    {
        var sample = new AbdomenPhantomGenerator(AbdomenPhantomSpec.Default with { Size = size }, seed: 9).Generate(0);
        var path = dir.File("phantom.nii.gz");
        NiftiWriter.Write(sample.Image, path);
        return path;
    }

    [Fact]
    public async Task Prediction_For_An_Anisotropic_Lps_Image_Has_The_Input_Shape_And_Affine()
    {
        using var dir = new TempDirectory();
        var (run, preprocessing) = FineTuneLikeRun(dir);
        var imagePath = PhantomImage(dir, [40, 36, 14]);
        var image = NiftiReader.Read(imagePath);
        Assert.Equal("LPS", Orientation.AxisCodes(image.Affine));
        var outPath = dir.File("pred.nii.gz");

        var result = await CliRun.InvokeAsync("predict", "--checkpoint", run, "--image", imagePath, "--out", outPath, "--device", "cpu");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("preprocessing: RAS, spacing 1.5×1.5×2 mm", result.Output);
        Assert.Contains("roi [32, 32, 32]", result.Output); // the run's patch, not the default 64
        var written = NiftiReader.Read(outPath);
        Assert.Equal((image.SizeX, image.SizeY, image.SizeZ), (written.SizeX, written.SizeY, written.SizeZ));
        Assert.Equal(image.Affine, written.Affine);
        Assert.Equal(image.Spacing, written.Spacing);
        Assert.Equal(VoxelType.UInt8, written.Type);

        // The same steps by hand: prepare, predict on the prepared (RAS, 1.5 mm) grid with the run's window, map back.
        var prepared = new InferencePreprocessing(preprocessing).Prepare(image);
        Assert.NotEqual((image.SizeX, image.SizeY, image.SizeZ), (prepared.SizeX, prepared.SizeY, prepared.SizeZ));
        using var model = ModelCheckpoint.Load(Path.Combine(run, "checkpoints", "best", "model.safetensors"));
        var onPrepared = new VolumePredictor(model, new SlidingWindowOptions { RoiSize = [32], Overlap = 0.25, Mode = BlendMode.Gaussian })
            .PredictLabels(prepared);
        Assert.Equal(GridResampler.NearestOnto(onPrepared, image).As<byte>(), written.As<byte>());
    }

    [Fact]
    public async Task Raw_Skips_The_Recorded_Preprocessing()
    {
        using var dir = new TempDirectory();
        var (run, _) = FineTuneLikeRun(dir);
        var imagePath = PhantomImage(dir, [24, 20, 10]);
        var result = await CliRun.InvokeAsync("predict", "--checkpoint", run, "--image", imagePath, "--out", dir.File("raw.nii.gz"),
            "--device", "cpu", "--raw", "--roi", "16");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("preprocessing: none", result.Output);
    }

    [Fact]
    public async Task Broken_Recorded_Preprocessing_Names_The_Config_And_Field()
    {
        using var dir = new TempDirectory();
        var (run, _) = FineTuneLikeRun(dir);
        var config = Path.Combine(run, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"intensityMax\": 250", "\"intensityMax\": -500"));
        var imagePath = PhantomImage(dir, [24, 20, 10]);
        var outPath = dir.File("pred.nii.gz");
        var result = await CliRun.InvokeAsync("predict", "--checkpoint", run, "--image", imagePath, "--out", outPath, "--device", "cpu");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("config.json", result.Error);
        Assert.Contains("intensityMax", result.Error);
        Assert.Contains("--raw", result.Error);
        Assert.False(File.Exists(outPath));
    }

    /// <summary>
    /// A tiny real fine-tuning run through the CLI, then its test case predicted with `medseg predict` and scored with
    /// `medseg evaluate`: per-class Dice equals the run's evaluation.json (same checkpoint, preprocessing, window and code).
    /// </summary>
    [Fact]
    public async Task Predict_Then_Evaluate_Reproduces_The_Runs_Own_Evaluation()
    {
        using var tmp = new TempDirectory();
        await Ok("generate", "phantom", "--out", tmp.File("raw"), "--count", "5", "--size", "48,48,16", "--seed", "4");
        await Ok("import", "msd", tmp.File("raw"), "--out", tmp.File("ds"), "--val", "0.2", "--test", "0.2");
        await Ok("finetune", "--dataset", tmp.File("ds"), "--out", tmp.File("ft"), "--model", "BasicUNet", "--model-arg", "features=(4, 4, 8, 8, 16, 4)",
            "--patch", "32", "--steps", "4", "--batch", "2", "--lr", "1e-2", "--val-every", "2", "--seed", "1", "--device", "cpu");
        using var evaluation = JsonDocument.Parse(File.ReadAllText(tmp.File("ft/evaluation.json")));
        var evaluated = evaluation.RootElement.GetProperty("cases")[0];
        string name = evaluated.GetProperty("case").GetString()!;

        var image = tmp.File($"ds/imagesTr/{name}_0000.nii.gz");
        var label = tmp.File($"ds/labelsTr/{name}.nii.gz");
        await Ok("predict", "--checkpoint", tmp.File("ft"), "--image", image, "--out", tmp.File("pred.nii.gz"), "--device", "cpu");
        var expected = evaluated.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("label").GetInt32(), c => c.GetProperty("dice"));
        Assert.Equal(5, expected.Count); // liver, spleen, two kidneys, aorta
        var report = JsonDocument.Parse(await Ok("evaluate", "--pred", tmp.File("pred.nii.gz"), "--label", label,
            "--classes", string.Join(",", expected.Keys), "--json"));
        var actual = report.RootElement.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("label").GetInt32(), c => c.GetProperty("dice"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (k, dice) in expected)
        {
            // NaN (JSON "NaN") only where the class is in neither; otherwise equal up to float summation order.
            if (dice.ValueKind == JsonValueKind.String) { Assert.Equal(dice.GetString(), actual[k].GetString()); continue; }
            Assert.Equal(dice.GetDouble(), actual[k].GetDouble(), 1e-3);
        }
        // The prediction the run wrote and the one predict wrote are the same label map.
        var own = NiftiReader.Read(tmp.File($"ft/predictions/{name}.nii.gz")).As<byte>();
        var again = NiftiReader.Read(tmp.File("pred.nii.gz")).As<byte>();
        double agreement = own.Zip(again).Count(p => p.First == p.Second) / (double)own.Length;
        Assert.True(agreement > 0.999, $"only {agreement:P3} of voxels agree");
    }

    private static async Task<string> Ok(params string[] args)
    {
        var run = await CliRun.InvokeAsync(args);
        Assert.True(run.ExitCode == 0, $"medseg {string.Join(' ', args)} failed ({run.ExitCode}):\n{run.Error}\n{run.Output}");
        return run.Output;
    }
}

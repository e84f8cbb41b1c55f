using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Inference;
using MedSeg.Training.Layout;
using MedSeg.Training.Networks;
using MedSeg.Training.Tests;

namespace MedSeg.Cli.Tests.Commands;

/// <summary>
/// `medseg predict` with default flags means what MONAI means: MONAI weights on a NIfTI give MONAI's labels
/// (fixture made by MONAI's sliding_window_inference, see tests/fixtures/monai/conventions/README.md), while a MedSeg
/// checkpoint from before axis orders were recorded still predicts in Zyx, as it did.
/// </summary>
public class PredictMonaiConventionTests
{
    private static readonly Dictionary<string, string> Arguments =
        new() { ["in_channels"] = "1", ["out_channels"] = "3", ["features"] = "(4, 4, 8, 8, 8, 4)" };

    [Fact]
    public async Task Monai_Weights_With_Default_Flags_Give_Monais_Argmax_On_An_Anisotropic_Image()
    {
        using var dir = new TempDirectory();
        var imagePath = Path.Combine(Fixtures.Conventions, "predict_image.nii.gz");
        var monai = NiftiReader.Read(Path.Combine(Fixtures.Conventions, "predict_monai_labels.nii.gz"));
        var outPath = dir.File("pred.nii.gz");

        // Only what a MONAI user would pass: weights, image, output (roi = UNETR's img_size; overlap 0.5 and gaussian are the defaults).
        var result = await CliRun.InvokeAsync("predict", "--checkpoint", Fixtures.Unetr, "--image", imagePath, "--out", outPath, "--device", "cpu");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("MonaiXyz (X, Y, Z)", result.Output);
        Assert.Contains("roi [32]", result.Output);
        var written = NiftiReader.Read(outPath);
        Assert.Equal((40, 36, 50), (written.SizeX, written.SizeY, written.SizeZ));
        Assert.Equal(monai.Affine, written.Affine);
        var labels = written.As<byte>();
        var expected = monai.As<byte>();
        Assert.True(expected.Distinct().Count() >= 2, "the fixture's labels are constant: it cannot show a difference");
        int differ = 0;
        for (int i = 0; i < labels.Length; i++) if (labels[i] != expected[i]) differ++;
        Assert.True(differ == 0, $"{differ} of {labels.Length} voxels differ from MONAI's labels");

        // The old default (Zyx) is still available on request and is what made the two disagree: far fewer voxels agree.
        var zyxPath = dir.File("zyx.nii.gz");
        var zyx = await CliRun.InvokeAsync("predict", "--checkpoint", Fixtures.Unetr, "--image", imagePath, "--out", zyxPath, "--device", "cpu", "--axis-order", "zyx");
        Assert.True(zyx.ExitCode == 0, zyx.Error);
        var zyxLabels = NiftiReader.Read(zyxPath).As<byte>();
        double agree = zyxLabels.Zip(expected).Count(p => p.First == p.Second) / (double)expected.Length;
        Assert.True(agree < 0.9, $"Zyx agreed with MONAI on {agree:P1}: the fixture cannot tell the orders apart");
    }

    [Fact]
    public async Task A_Checkpoint_From_Before_Recorded_Orders_Still_Predicts_In_Zyx_And_Foreign_Weights_In_MonaiXyz()
    {
        using var dir = new TempDirectory();
        // An old MedSeg step checkpoint: model.safetensors without axis_order metadata beside a state.json without the field.
        var checkpoint = Directory.CreateDirectory(dir.File(Path.Combine("old-run", "checkpoints", "step-000000002"))).FullName;
        var oldModel = Path.Combine(checkpoint, CheckpointStore.WeightsFile);
        using (var net = ModelFactory.Create("BasicUNet", Arguments)) ModelCheckpoint.Save(net, oldModel, "BasicUNet", Arguments);
        File.WriteAllText(Path.Combine(checkpoint, CheckpointStore.StateFile), """{ "step": 2, "modelSignature": "BasicUNet", "batchSize": 1, "crop": "16³" }""");
        Assert.Null(ModelCheckpoint.ReadAxisOrder(oldModel));
        // The same weights copied out on their own: nothing says they are ours, so they are taken as MONAI's.
        var loose = dir.File("loose.safetensors");
        File.Copy(oldModel, loose);

        var values = new float[20 * 18 * 17];
        var rng = new Random(4);
        for (int i = 0; i < values.Length; i++) values[i] = (float)rng.NextDouble();
        var imagePath = dir.File("image.nii.gz");
        NiftiWriter.Write(new Volume(20, 18, 17, values, [0.8, 0.8, 2.5]), imagePath);
        var image = NiftiReader.Read(imagePath);
        using var model = ModelCheckpoint.Load(oldModel);
        var window = new SlidingWindowOptions { RoiSize = [16], Overlap = 0.5, Mode = BlendMode.Gaussian };

        foreach (var (path, order) in new[] { (oldModel, AxisOrder.Zyx), (dir.File("old-run"), AxisOrder.Zyx), (loose, AxisOrder.MonaiXyz) })
        {
            var outPath = dir.File($"pred-{order}-{Path.GetFileName(path)}.nii.gz");
            var result = await CliRun.InvokeAsync("predict", "--checkpoint", path, "--image", imagePath, "--out", outPath, "--roi", "16", "--device", "cpu");
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains($"axes:    {order} ", result.Output);
            var expected = new VolumePredictor(model, window, order).PredictLabels(image);
            Assert.Equal(expected.As<byte>(), NiftiReader.Read(outPath).As<byte>());
        }
        // Neither order is recorded, so asking for the other one is allowed (e.g. for weights that were mislabelled).
        var forced = await CliRun.InvokeAsync("predict", "--checkpoint", oldModel, "--image", imagePath, "--out", dir.File("forced.nii.gz"),
            "--roi", "16", "--device", "cpu", "--axis-order", "monai-xyz");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Contains("axes:    MonaiXyz", forced.Output);
    }

    [Fact]
    public async Task A_Flag_Against_An_Order_Recorded_In_State_Json_Is_Refused_With_The_Fix()
    {
        using var dir = new TempDirectory();
        var checkpoint = Directory.CreateDirectory(dir.File("step")).FullName;
        var weights = Path.Combine(checkpoint, CheckpointStore.WeightsFile);
        using (var net = ModelFactory.Create("BasicUNet", Arguments)) ModelCheckpoint.Save(net, weights, "BasicUNet", Arguments);
        File.WriteAllText(Path.Combine(checkpoint, CheckpointStore.StateFile), """{ "step": 2, "axisOrder": "Zyx" }""");
        var imagePath = dir.File("image.nii.gz");
        NiftiWriter.Write(new Volume(18, 17, 16, new float[18 * 17 * 16]), imagePath);
        var outPath = dir.File("pred.nii.gz");

        var refused = await CliRun.InvokeAsync("predict", "--checkpoint", weights, "--image", imagePath, "--out", outPath, "--roi", "16", "--axis-order", "monai-xyz");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--axis-order monai-xyz contradicts", refused.Error);
        Assert.Contains("Leave --axis-order out or pass zyx", refused.Error);
        Assert.False(File.Exists(outPath));
    }
}

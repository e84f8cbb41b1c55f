using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Training.Inference;
using MedSeg.Training.Layout;
using MedSeg.Training.Networks;

namespace MedSeg.Cli.Tests.Commands;

/// <summary>`medseg predict` feeds the network in the axis order its checkpoint records; a contradicting --axis-order is refused.</summary>
public class PredictAxisOrderTests
{
    private static readonly Dictionary<string, string> Arguments =
        new() { ["in_channels"] = "1", ["out_channels"] = "3", ["features"] = "(4, 4, 8, 8, 8, 4)" };

    [Fact]
    public async Task Recorded_MonaiXyz_Is_Used_And_A_Contradiction_Refused()
    {
        using var dir = new TempDirectory();
        var model = dir.File("model.safetensors");
        using (var net = ModelFactory.Create("BasicUNet", Arguments))
            ModelCheckpoint.Save(net, model, "BasicUNet", Arguments, new Dictionary<string, string> { [AxisOrders.MetadataKey] = "MonaiXyz" });
        var values = new float[20 * 18 * 17];
        var rng = new Random(9);
        for (int i = 0; i < values.Length; i++) values[i] = (float)rng.NextDouble();
        var imagePath = dir.File("image.nii.gz");
        NiftiWriter.Write(new Volume(20, 18, 17, values), imagePath);
        var image = NiftiReader.Read(imagePath);
        var outPath = dir.File("pred.nii.gz");

        var result = await CliRun.InvokeAsync("predict", "--checkpoint", model, "--image", imagePath, "--out", outPath, "--roi", "16", "--device", "cpu");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("MonaiXyz (X, Y, Z)", result.Output);
        using var loaded = ModelCheckpoint.Load(model);
        var window = new SlidingWindowOptions { RoiSize = [16], Overlap = 0.5, Mode = BlendMode.Gaussian };
        var expected = new VolumePredictor(loaded, window, AxisOrder.MonaiXyz).PredictLabels(image);
        Assert.Equal(expected.As<byte>(), NiftiReader.Read(outPath).As<byte>());

        var refused = await CliRun.InvokeAsync("predict", "--checkpoint", model, "--image", imagePath, "--out", dir.File("other.nii.gz"), "--axis-order", "zyx");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("contradicts", refused.Error);
        Assert.False(File.Exists(dir.File("other.nii.gz")));
    }
}

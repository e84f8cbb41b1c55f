using MedSeg.Training.Networks;
using MedSeg.Training.Weights;
using static TorchSharp.torch;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Networks;

public class ModelCheckpointTests
{
    [Fact]
    public void Save_Then_Load_Rebuilds_Model_With_Same_Output()
    {
        using var dir = new TempDirectory();
        var path = dir.File("unet.safetensors");
        var arguments = new Dictionary<string, string> { ["in_channels"] = "1", ["out_channels"] = "3", ["features"] = "(4, 4, 8, 8, 8, 4)" };
        using var original = ModelFactory.Create("BasicUNet", arguments);
        original.eval();

        ModelCheckpoint.Save(original, path, "BasicUNet", arguments, new Dictionary<string, string> { ["epoch"] = "7" });
        using var restored = ModelCheckpoint.Load(path, extraMetadataKeys: ["epoch"]);
        restored.eval();

        using var _ = no_grad();
        using var x = randn(new long[] { 1, 1, 16, 16, 16 });
        Assert.Equal(0.0, TensorAssert.MaxAbsDifference(original.forward(x), restored.forward(x)));
        Assert.Equal("7", SafetensorsHeader.Read(path).Metadata["epoch"]);
    }

    [Fact]
    public void Load_Without_Declaring_Extra_Metadata_Rejects_It_As_Argument()
    {
        using var dir = new TempDirectory();
        var path = dir.File("unet.safetensors");
        var arguments = new Dictionary<string, string> { ["features"] = "(4, 4, 8, 8, 8, 4)" };
        using var model = ModelFactory.Create("BasicUNet", arguments);
        ModelCheckpoint.Save(model, path, "BasicUNet", arguments, new Dictionary<string, string> { ["epoch"] = "7" });

        var ex = Assert.Throws<ArgumentException>(() => ModelCheckpoint.Load(path));
        Assert.Contains("'epoch'", ex.Message);
    }
}

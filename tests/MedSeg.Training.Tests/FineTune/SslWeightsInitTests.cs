using MedSeg.Training.FineTune;
using MedSeg.Training.Networks;
using MedSeg.Training.Tests.Support;
using MedSeg.Training.Weights;
using static TorchSharp.torch;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.FineTune;

/// <summary>"safetensors:" init with MONAI self-supervised Swin names (module.layers1…, timm's mlp.fc1/fc2, extra heads).</summary>
// Source and target weights only need to differ, not to take particular values: no seeding, no serial collection.
public class SslWeightsInitTests
{
    private static readonly Dictionary<string, string> Args = new() { ["in_channels"] = "1", ["out_channels"] = "6", ["feature_size"] = "12" };

    [Fact]
    public void Encoder_Only_Maps_Ssl_Names_And_Loads_Every_SwinViT_Key()
    {
        using var tmp = new TempDirectory();
        using var source = ModelFactory.Create("SwinUNETR", Args);
        // Write the encoder as the SSL checkpoints name it, plus a pretraining head that must be ignored.
        var ssl = new Dictionary<string, Tensor>();
        foreach (var (key, value) in source.state_dict().Where(p => p.Key.StartsWith("swinViT.", StringComparison.Ordinal)))
            ssl["module." + key["swinViT.".Length..].Replace(".mlp.linear1.", ".mlp.fc1.").Replace(".mlp.linear2.", ".mlp.fc2.")] = value;
        ssl["module.rotation_head.weight"] = zeros(4, 8);
        var path = tmp.File("ssl.safetensors");
        SafetensorsFile.Write(path, ssl);

        using var target = ModelFactory.Create("SwinUNETR", Args);
        var report = WeightInitializer.Load(target, "SwinUNETR", path, encoderOnly: true);

        var encoderKeys = target.state_dict().Keys.Where(k => k.StartsWith("swinViT.", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(encoderKeys, report.Loaded.Order().ToList());
        var expected = source.state_dict();
        foreach (var key in encoderKeys) Assert.True(target.state_dict()[key].eq(expected[key]).all().item<bool>(), key);

        // Whole-network init from an encoder-only file is refused: the decoder keys are missing.
        using var other = ModelFactory.Create("SwinUNETR", Args);
        var e = Assert.Throws<StateDictMismatchException>(() => WeightInitializer.Load(other, "SwinUNETR", path, encoderOnly: false));
        Assert.Contains("missing", e.Message);
    }
}

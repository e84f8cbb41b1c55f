using MedSeg.Training.FineTune;
using MedSeg.Training.Networks;
using MedSeg.Training.Tests.Support;
using MedSeg.Training.Weights;
using static TorchSharp.torch;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.FineTune;

// Source and target weights only need to differ, not to take particular values: no seeding, no serial collection.
public class WeightInitializerTests
{
    private static Dictionary<string, string> Args(int classes) =>
        new() { ["in_channels"] = "1", ["out_channels"] = classes.ToString(), ["features"] = "(4, 4, 8, 8, 16, 4)" };

    private static string SavePretrained(TempDirectory tmp, int classes)
    {
        using var source = ModelFactory.Create("BasicUNet", Args(classes));
        var path = tmp.File("pre.safetensors");
        ModelCheckpoint.Save(source, path, "BasicUNet", Args(classes));
        return path;
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Encoder_Only_Loads_Exactly_The_Encoder_Keys_And_Leaves_The_Decoder()
    {
        using var tmp = new TempDirectory();
        var path = SavePretrained(tmp, classes: 6);
        using var model = ModelFactory.Create("BasicUNet", Args(6));
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());

        var report = WeightInitializer.Load(model, "BasicUNet", path, encoderOnly: true);

        var prefixes = WeightInitializer.EncoderPrefixes("BasicUNet");
        var encoderKeys = before.Keys.Where(k => prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).Order().ToList();
        Assert.NotEmpty(encoderKeys);
        Assert.Equal(encoderKeys, report.Loaded.Order().ToList());
        Assert.Empty(report.Unexpected);
        using var saved = SafetensorsFile.Read(path);
        var after = model.state_dict();
        foreach (var (key, value) in after)
        {
            if (encoderKeys.Contains(key)) Assert.True(Same(value, saved.Tensors[key]), $"encoder key {key} not loaded");
            else Assert.True(Same(value, before[key]), $"non-encoder key {key} changed");
        }
        Assert.Contains(after.Keys, k => !encoderKeys.Contains(k)); // there is a decoder that stayed
    }

    [Fact]
    public void Whole_Network_Loads_All_Keys_And_Reports_A_Resized_Head()
    {
        using var tmp = new TempDirectory();
        var same = SavePretrained(tmp, classes: 6);
        using (var model = ModelFactory.Create("BasicUNet", Args(6)))
        {
            var report = WeightInitializer.Load(model, "BasicUNet", same, encoderOnly: false);
            Assert.True(report.IsExact, report.ToString());
            Assert.Equal(model.state_dict().Count, report.Loaded.Count);
            using var saved = SafetensorsFile.Read(same);
            foreach (var (key, value) in model.state_dict()) Assert.True(Same(value, saved.Tensors[key]), key);
        }

        // Pretrained with 17 classes, fine-tuned with 6: everything but the output head is copied; the head is reported.
        using var tmp2 = new TempDirectory();
        var other = SavePretrained(tmp2, classes: 17);
        using var target = ModelFactory.Create("BasicUNet", Args(6));
        var partial = WeightInitializer.Load(target, "BasicUNet", other, encoderOnly: false);
        Assert.Equal(["final_conv.bias", "final_conv.weight"], partial.ShapeMismatches.Select(m => m.Key).Order().ToArray());
        Assert.Equal(target.state_dict().Count - 2, partial.Loaded.Count);
    }

    [Fact]
    public void Encoder_Only_From_A_Different_Architecture_Fails_Naming_The_File()
    {
        using var tmp = new TempDirectory();
        var path = SavePretrained(tmp, classes: 3);
        using var wider = ModelFactory.Create("BasicUNet", new Dictionary<string, string> { ["features"] = "(8, 8, 16, 16, 32, 8)" });
        var e = Assert.Throws<StateDictMismatchException>(() => WeightInitializer.Load(wider, "BasicUNet", path, encoderOnly: true));
        Assert.Contains(path, e.Message);
        Assert.NotEmpty(e.Report.ShapeMismatches);
    }

    [Fact]
    public void Run_Init_Prefers_Best_Then_Newest_Step()
    {
        using var tmp = new TempDirectory();
        var ck = Directory.CreateDirectory(tmp.File("run/checkpoints")).FullName;
        foreach (var step in new[] { "step-000000010", "step-000000020" })
        {
            Directory.CreateDirectory(Path.Combine(ck, step));
            File.WriteAllText(Path.Combine(ck, step, "model.safetensors"), "x");
        }
        var init = InitSource.Parse("run:" + tmp.File("run"));
        Assert.Equal(Path.Combine(ck, "step-000000020", "model.safetensors"), init.ResolveFile());
        Directory.CreateDirectory(Path.Combine(ck, "best"));
        File.WriteAllText(Path.Combine(ck, "best", "model.safetensors"), "x");
        Assert.Equal(Path.Combine(ck, "best", "model.safetensors"), init.ResolveFile());

        var missing = Assert.Throws<DirectoryNotFoundException>(() => InitSource.Parse("run:" + tmp.File("nope")).ResolveFile());
        Assert.Contains("nope", missing.Message);
    }
}

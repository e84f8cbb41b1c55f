using MedSeg.Training.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Weights;

public class StateDictLoaderTests
{
    /// <summary>Conv + batch norm (with running-stat buffers) + linear: keys "0.weight", "1.running_mean", ...</summary>
    private static Sequential SmallNet(int hidden = 4) => nn.Sequential(
        nn.Conv3d(1, hidden, 3),
        nn.BatchNorm3d(hidden),
        nn.Flatten(),
        nn.Linear(hidden, 2));

    private static Dictionary<string, Tensor> Randomized(nn.Module module) =>
        module.state_dict().ToDictionary(p => p.Key, p => p.Value.dtype == ScalarType.Int64 ? p.Value + 5 : rand_like(p.Value));

    [Fact]
    public void Strict_Load_Copies_Parameters_And_Buffers()
    {
        var net = SmallNet();
        var checkpoint = Randomized(SmallNet());

        var report = StateDictLoader.Load(net, checkpoint);

        Assert.True(report.IsExact, report.ToString());
        Assert.Contains("1.running_mean", report.Loaded);
        Assert.Contains("1.num_batches_tracked", report.Loaded);
        foreach (var (key, value) in net.state_dict())
            Assert.True(TensorAssert.Same(value, checkpoint[key]), $"{key} not loaded");
    }

    [Fact]
    public void Strict_Load_Of_Mismatched_Checkpoint_Throws_Report_And_Copies_Nothing()
    {
        var net = SmallNet();
        var before = net.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var checkpoint = Randomized(SmallNet(hidden: 5));   // every hidden-size tensor has another shape
        checkpoint.Remove("3.bias");
        checkpoint["extra.weight"] = ones(1);

        var ex = Assert.Throws<StateDictMismatchException>(() => StateDictLoader.Load(net, checkpoint, source: "ckpt.safetensors"));

        Assert.Equal(["3.bias"], ex.Report.Missing);
        Assert.Equal(["extra.weight"], ex.Report.Unexpected);
        var conv = Assert.Single(ex.Report.ShapeMismatches, m => m.Key == "0.weight");
        Assert.Equal(new long[] { 4, 1, 3, 3, 3 }, conv.ModuleShape);
        Assert.Equal(new long[] { 5, 1, 3, 3, 3 }, conv.CheckpointShape);
        Assert.Contains("ckpt.safetensors", ex.Message);
        Assert.Contains("0.weight: module [4, 1, 3, 3, 3] vs checkpoint [5, 1, 3, 3, 3]", ex.Message);
        Assert.Contains("1.num_batches_tracked", ex.Report.Loaded);   // shape [] on both sides
        foreach (var (key, value) in net.state_dict())
            Assert.True(TensorAssert.Same(value, before[key]), $"{key} changed although strict load failed");
    }

    [Fact]
    public void NonStrict_Load_Copies_Matching_Keys_And_Reports_The_Rest()
    {
        var net = SmallNet();
        var checkpoint = Randomized(SmallNet());
        checkpoint["3.weight"] = ones(2, 7);
        checkpoint.Remove("1.running_var");
        checkpoint["head.bias"] = ones(2);

        var report = StateDictLoader.Load(net, checkpoint, strict: false);

        Assert.Equal(["1.running_var"], report.Missing);
        Assert.Equal(["head.bias"], report.Unexpected);
        Assert.Equal("3.weight", Assert.Single(report.ShapeMismatches).Key);
        Assert.True(TensorAssert.Same(net.state_dict()["0.weight"], checkpoint["0.weight"]));
        Assert.False(net.state_dict()["3.weight"].shape.SequenceEqual(new long[] { 2, 7 }));
    }

    [Fact]
    public void Mapping_Strips_Module_Prefix_Renames_And_Selects_Encoder()
    {
        var net = nn.Sequential(("swinViT", SmallNet()), ("decoder", nn.Linear(2, 2)));
        var encoder = Randomized(SmallNet());
        var checkpoint = encoder.ToDictionary(p => "module.swin_vit." + p.Key, p => p.Value);
        checkpoint["module.head.weight"] = ones(3);   // outside the selection: ignored
        var mapping = StateDictKeyMapping.Monai with { SelectPrefix = "swinViT." };

        var report = StateDictLoader.Load(net, checkpoint, strict: true, mapping);

        Assert.True(report.IsExact, report.ToString());
        Assert.Equal(encoder.Count, report.Loaded.Count);
        Assert.True(TensorAssert.Same(net.state_dict()["swinViT.0.weight"], encoder["0.weight"]));
    }

    [Fact]
    public void Save_Then_LoadFile_Restores_Module_With_Metadata()
    {
        using var dir = new TempDirectory();
        var path = dir.File("net.safetensors");
        var source = SmallNet();
        StateDictLoader.Load(source, Randomized(source));
        StateDictLoader.Save(source, path, new Dictionary<string, string> { ["model"] = "SmallNet" });

        var target = SmallNet();
        var report = StateDictLoader.LoadFile(target, path);

        Assert.True(report.IsExact);
        Assert.Equal("SmallNet", SafetensorsHeader.Read(path).Metadata["model"]);
        foreach (var (key, value) in source.state_dict())
            Assert.True(TensorAssert.Same(value, target.state_dict()[key]), key);
    }

    [Fact]
    public void Load_Converts_Checkpoint_Dtype_To_Module_Dtype()
    {
        var net = SmallNet();
        var checkpoint = Randomized(SmallNet()).ToDictionary(p => p.Key,
            p => p.Value.is_floating_point() ? p.Value.to(ScalarType.Float64) : p.Value);

        var report = StateDictLoader.Load(net, checkpoint);

        Assert.True(report.IsExact);
        var weight = net.state_dict()["0.weight"];
        Assert.Equal(ScalarType.Float32, weight.dtype);
        Assert.True(TensorAssert.MaxAbsDifference(weight, checkpoint["0.weight"]) < 1e-7);
    }

    [Fact]
    public void Monai_Mapping_Leaves_Plain_Keys_Alone()
    {
        Assert.Equal("encoder1.layer.conv1.conv.weight", StateDictKeyMapping.Monai.Map("encoder1.layer.conv1.conv.weight"));
        Assert.Equal("swinViT.layers1.0.blocks.0.norm1.weight", StateDictKeyMapping.Monai.Map("module.swin_vit.layers1.0.blocks.0.norm1.weight"));
        Assert.Null((StateDictKeyMapping.Monai with { SelectPrefix = "swinViT." }).Map("module.decoder1.transp_conv.conv.weight"));
    }
}

using System.Diagnostics;
using MedSeg.Training.Networks;
using MedSeg.Training.Weights;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using MedSeg.Training.Networks.Nets;
using MedSeg.Training.Tests.Networks;

namespace MedSeg.Training.Tests.Networks.Nets;

/// <summary>SwinUNETR against MONAI 1.5's own state_dict and output (fixture swin_unetr_f12_64).</summary>
public class SwinUnetrTests(ITestOutputHelper output)
{
    private static SwinUnetr FixtureModel(bool legacy = false) =>
        new(inChannels: 1, outChannels: 4, featureSize: 12, legacyPatchMerging: legacy);

    [Fact]
    public void FixtureWeights_StrictLoad_EvalForward_MatchesMonaiOutput()
    {
        using var model = FixtureModel();
        var report = StateDictLoader.LoadFile(model, Fixtures.SwinUnetr, strict: true);
        Assert.True(report.IsExact, report.ToString());
        model.eval();

        using var input = SafetensorsFile.ReadTensor(Fixtures.SwinUnetr, "__input__");
        using var expected = SafetensorsFile.ReadTensor(Fixtures.SwinUnetr, "__output__");
        using var _ = no_grad();
        var watch = Stopwatch.StartNew();
        using var actual = model.forward(input);
        watch.Stop();

        Assert.Equal(expected.shape, actual.shape);
        double error = TensorAssert.MaxAbsDifference(actual, expected);
        output.WriteLine($"SwinUNETR f12 64³: max |TorchSharp - MONAI| = {error:E3}, forward {watch.Elapsed.TotalSeconds:F2} s ({report.Loaded.Count} tensors loaded)");
        Assert.True(error <= 1e-4, $"max abs error {error:E3} exceeds 1e-4");
    }

    [Fact]
    public void StateDict_KeysShapesAndDtypes_EqualFixture()
    {
        using var model = FixtureModel();
        using var fixture = SafetensorsFile.Read(Fixtures.SwinUnetr, n => !StateDictLoader.FixtureSampleNames.Contains(n));
        var ours = model.state_dict();

        Assert.Equal(fixture.Tensors.Keys.OrderBy(k => k, StringComparer.Ordinal), ours.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (key, reference) in fixture.Tensors)
        {
            Assert.True(reference.shape.SequenceEqual(ours[key].shape), $"{key}: ours [{string.Join(",", ours[key].shape)}] vs MONAI [{string.Join(",", reference.shape)}]");
            Assert.True(reference.dtype == ours[key].dtype, $"{key}: ours {ours[key].dtype} vs MONAI {reference.dtype}");
        }
        Assert.Contains("swinViT.layers1.0.blocks.0.attn.qkv.weight", ours.Keys);
    }

    [Fact]
    public void RelativePositionIndex_BuiltLocally_EqualsMonaiBuffer()
    {
        using var model = FixtureModel();
        const string key = "swinViT.layers3.0.blocks.1.attn.relative_position_index";
        using var reference = SafetensorsFile.ReadTensor(Fixtures.SwinUnetr, key);
        Assert.True(TensorAssert.Same(reference, model.state_dict()[key]));
    }

    [Fact]
    public void EncoderOnlyCheckpoint_NonStrictLoad_ReportsDecoderKeysMissing()
    {
        using var model = FixtureModel();
        using var fixture = SafetensorsFile.Read(Fixtures.SwinUnetr, n => n.StartsWith("swinViT.", StringComparison.Ordinal));
        Assert.Throws<StateDictMismatchException>(() => StateDictLoader.Load(model, fixture.Tensors, strict: true));

        var report = StateDictLoader.Load(model, fixture.Tensors, strict: false);

        Assert.Equal(fixture.Tensors.Count, report.Loaded.Count);
        Assert.All(report.Loaded, k => Assert.StartsWith("swinViT.", k));
        Assert.NotEmpty(report.Missing);
        Assert.All(report.Missing, k => Assert.False(k.StartsWith("swinViT.", StringComparison.Ordinal), k));
        Assert.Contains("decoder1.transp_conv.conv.weight", report.Missing);
        Assert.Contains("out.conv.conv.bias", report.Missing);
        Assert.Empty(report.Unexpected);
        const string loadedKey = "swinViT.layers2.0.blocks.0.attn.qkv.weight";
        Assert.True(TensorAssert.Same(fixture[loadedKey], model.state_dict()[loadedKey]));
    }

    [Theory]
    [InlineData(32, 32, 32)]
    [InlineData(64, 64, 64)]
    [InlineData(32, 64, 32)]
    public void Forward_OutputHasInputSpatialShape(long d, long h, long w)
    {
        using var model = new SwinUnetr(inChannels: 2, outChannels: 3, featureSize: 12);
        model.eval();
        using var _ = no_grad();
        using var x = randn(new long[] { 1, 2, d, h, w });
        using var y = model.forward(x);
        Assert.Equal(new[] { 1L, 3, d, h, w }, y.shape);
        Assert.False(y.isnan().any().item<bool>());
    }

    [Fact]
    public void UseV2_AddsStageConvBlocks_WithMonaiShapes_AndRuns()
    {
        using var v1 = FixtureModel();
        using var v2 = new SwinUnetr(inChannels: 1, outChannels: 4, featureSize: 12, useV2: true);
        var v1Keys = v1.state_dict().Keys.ToHashSet();
        var extra = v2.state_dict().Where(p => !v1Keys.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.shape);

        var expected = new Dictionary<string, long[]>();
        for (int i = 0; i < 4; i++)
        {
            long c = 12L << i;
            expected[$"swinViT.layers{i + 1}c.0.layer.conv1.conv.weight"] = new[] { c, c, 3, 3, 3 };
            expected[$"swinViT.layers{i + 1}c.0.layer.conv2.conv.weight"] = new[] { c, c, 3, 3, 3 };
        }
        Assert.Equal(expected.Keys.OrderBy(k => k), extra.Keys.OrderBy(k => k));
        foreach (var (key, shape) in expected) Assert.Equal(shape, extra[key]);

        v2.eval();
        using var _ = no_grad();
        using var x = randn(new long[] { 1, 1, 32, 32, 32 });
        using var y = v2.forward(x);
        Assert.Equal(new long[] { 1, 4, 32, 32, 32 }, y.shape);
    }

    [Theory]
    [InlineData(10, 3, 0.0, "feature_size should be divisible by 12")]
    [InlineData(12, 4, 0.0, "spatial dimension should be 2 or 3")]
    [InlineData(12, 2, 0.0, "spatial_dims=2 is not supported")]
    [InlineData(12, 3, 1.5, "dropout rate should be between 0 and 1")]
    public void Constructor_RejectsBadArguments(long featureSize, int spatialDims, double dropRate, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new SwinUnetr(1, 2, featureSize: featureSize, spatialDims: spatialDims, dropRate: dropRate));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Constructor_RejectsUnknownDownsampleAndNorm()
    {
        Assert.Contains("downsample 'pooling'", Assert.Throws<ArgumentException>(() => new SwinUnetr(1, 2, featureSize: 12, downsample: "pooling")).Message);
        Assert.Contains("Unknown norm 'layer'", Assert.Throws<ArgumentException>(() => new SwinUnetr(1, 2, featureSize: 12, normName: "layer")).Message);
        Assert.Contains("num_heads[1]=5", Assert.Throws<ArgumentException>(() => new SwinUnetr(1, 2, featureSize: 12, numHeads: new[] { 3, 5, 12, 24 })).Message);
        Assert.Contains("window_size", Assert.Throws<ArgumentException>(() => new SwinUnetr(1, 2, featureSize: 12, windowSize: new long[] { 7, 7 })).Message);
    }

    [Fact]
    public void Forward_RejectsInputNotDivisibleBy32_NamingTheDimensions()
    {
        using var model = new SwinUnetr(1, 2, featureSize: 12);
        using var x = zeros(new long[] { 1, 1, 32, 48, 40 });
        var ex = Assert.Throws<ArgumentException>(() => model.forward(x));
        Assert.Contains("spatial dimensions [3, 4]", ex.Message);
        Assert.Contains("[32, 48, 40]", ex.Message);
        Assert.Contains("2**5", ex.Message);

        using var wrongChannels = zeros(new long[] { 1, 3, 32, 32, 32 });
        Assert.Contains("in_channels=1", Assert.Throws<ArgumentException>(() => model.forward(wrongChannels)).Message);
    }

    [Fact]
    public void ModelFactory_BuildsFromFixtureMetadata_AndRejectsImgSize()
    {
        using var fixture = SafetensorsFile.Read(Fixtures.SwinUnetr, n => n == "__input__");
        using var model = ModelFactory.FromMetadata(fixture.Metadata);
        var report = StateDictLoader.LoadFile(model, Fixtures.SwinUnetr, strict: true);
        Assert.True(report.IsExact);

        var ex = Assert.Throws<ArgumentException>(() => ModelFactory.Create("SwinUNETR", new Dictionary<string, string>
        {
            ["img_size"] = "(96, 96, 96)", ["in_channels"] = "1", ["out_channels"] = "2",
        }));
        Assert.Contains("img_size was removed in MONAI 1.5", ex.Message);
        using var v2 = ModelFactory.Create("SwinUNETR", new Dictionary<string, string>
        {
            ["in_channels"] = "1", ["out_channels"] = "2", ["feature_size"] = "12", ["use_v2"] = "True",
            ["window_size"] = "(7, 7, 7)", ["norm_name"] = "('instance', {'affine': True})",
        });
        Assert.Contains("swinViT.layers4c.0.layer.conv2.conv.weight", v2.state_dict().Keys);
        Assert.Contains("encoder1.layer.norm1.weight", v2.state_dict().Keys);
    }

    [Fact]
    public void TrainingMode_WithStochasticDepth_BackpropagatesIntoBiasTablesAndDecoder()
    {
        using var model = new SwinUnetr(1, 2, featureSize: 12, dropRate: 0.1, attnDropRate: 0.1, dropoutPathRate: 0.2);
        model.train();
        using var x = randn(new long[] { 2, 1, 32, 32, 32 });
        using var y = model.forward(x);
        using var loss = y.square().mean();
        loss.backward();

        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        // Stochastic depth may drop one block's branch for every sample (then its table's gradient is 0, as in MONAI):
        // every table gets a gradient tensor, and the tables together a non-zero one.
        var tables = grads.Where(g => g.Key.EndsWith("attn.relative_position_bias_table", StringComparison.Ordinal)).ToList();
        Assert.Equal(4 * 2, tables.Count);
        Assert.All(tables, t => Assert.NotNull(t.Value));
        Assert.True(tables.Sum(t => t.Value!.abs().sum().item<float>()) > 0);
        using var outGrad = grads["out.conv.conv.weight"];
        Assert.True(outGrad!.abs().sum().item<float>() > 0);
        Assert.DoesNotContain(model.named_buffers(), b => b.buffer.requires_grad);
    }

    [Theory]
    [InlineData("module.layers1.0.blocks.0.mlp.fc1.weight", "swinViT.layers1.0.blocks.0.mlp.linear1.weight")]
    [InlineData("swin_vit.layers2.0.blocks.1.mlp.fc2.bias", "swinViT.layers2.0.blocks.1.mlp.linear2.bias")]
    [InlineData("module.patch_embed.proj.weight", "swinViT.patch_embed.proj.weight")]
    [InlineData("module.swinViT.layers4.0.downsample.norm.weight", "swinViT.layers4.0.downsample.norm.weight")]
    [InlineData("module.rotation_head.weight", "rotation_head.weight")]
    [InlineData("decoder1.conv_block.conv1.conv.weight", "decoder1.conv_block.conv1.conv.weight")]
    public void SslCheckpointKeys_MapToSwinUnetrNames(string key, string expected) =>
        Assert.Equal(expected, SwinUnetrCheckpoint.MapKey(key));

    [Fact]
    public void SslStyleCheckpoint_LoadsEncoderOnly_IgnoringPretrainingHeads()
    {
        // The fixture's encoder renamed the way the published self-supervised checkpoints name it.
        using var fixture = SafetensorsFile.Read(Fixtures.SwinUnetr, n => n.StartsWith("swinViT.", StringComparison.Ordinal));
        var ssl = fixture.Tensors.ToDictionary(
            p => "module." + p.Key["swinViT.".Length..].Replace(".mlp.linear1.", ".mlp.fc1.").Replace(".mlp.linear2.", ".mlp.fc2."),
            p => p.Value);
        using var head = zeros(4, 768);
        ssl["module.rotation_head.weight"] = head;
        using var model = FixtureModel(legacy: true);

        var report = SwinUnetrCheckpoint.LoadEncoder(model, ssl);

        Assert.True(report.IsExact, report.ToString());
        Assert.Equal(fixture.Tensors.Count, report.Loaded.Count);
        const string key = "swinViT.layers3.0.blocks.1.mlp.linear2.weight";
        Assert.True(TensorAssert.Same(fixture[key], model.state_dict()[key]));

        ssl.Remove("module.layers2.0.blocks.0.attn.qkv.weight");
        var ex = Assert.Throws<StateDictMismatchException>(() => SwinUnetrCheckpoint.LoadEncoder(model, ssl));
        Assert.Contains("swinViT.layers2.0.blocks.0.attn.qkv.weight", ex.Message);
    }
}

using MedSeg.Core.Generators;
using MedSeg.Core.Generators.Phantom;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.Tests.Preprocessing;

public class PreprocessingOptionsTests
{
    [Fact]
    public void Json_RoundTripsEverySetting()
    {
        var options = PreprocessingOptions.Default with { TargetSpacing = [1, 1, 3], PatchSize = [32, 32, 16], FlipProbability = 0.3, ImageThreshold = null };
        var back = PreprocessingOptions.FromJson(options.ToJson());
        Assert.Equal(options.ToJson(), back.ToJson());
        Assert.Contains("\"intensityMin\": -175", options.ToJson());
    }

    [Theory]
    [InlineData("{\"patchSize\": [96, 0, 96]}", "patchSize")]
    [InlineData("{\"flipProbability\": 1.5}", "flipProbability")]
    [InlineData("{\"targetSpacing\": [1, 1]}", "targetSpacing")]
    [InlineData("{\"intensityMax\": -500}", "intensityMax")]
    [InlineData("{\"patchSise\": [1, 1, 1]}", "patchSise")]
    public void FromJson_BadSetting_MessageNamesField(string json, string field)
    {
        var e = Assert.Throws<ArgumentException>(() => PreprocessingOptions.FromJson(json, "run.json"));
        Assert.Contains(field, e.Message);
        Assert.Contains("run.json", e.Message);
    }

    [Fact]
    public void Pipeline_OnPhantom_GivesRasUnitRangePatchesOfTheConfiguredSize()
    {
        var spec = AbdomenPhantomSpec.Default with { Size = [48, 48, 16], Spacing = [1.6, 1.6, 5] };
        var phantom = new AbdomenPhantomGenerator(spec, 5).Generate(0);
        var pipeline = new PreprocessingPipeline(PreprocessingOptions.Default with { TargetSpacing = [2, 2, 4], PatchSize = [16, 16, 8] });

        var prepared = pipeline.Prepare(phantom.Image, phantom.Label);
        var patches = pipeline.Augment(prepared, new DeterministicRandom(9));

        Assert.Equal("RAS", Orientation.AxisCodes(prepared.Image.Affine));
        Assert.Equal([2.0, 2.0, 4.0], prepared.Image.Spacing);
        Assert.True(prepared.Image.SizeX < 48 * 1.6 / 2 + 1); // foreground crop removed air
        Assert.Equal(4, patches.Count);
        foreach (var p in patches)
        {
            Assert.Equal((16, 16, 8), (p.Image.SizeX, p.Image.SizeY, p.Image.SizeZ));
            Assert.All(p.Image.As<float>(), v => Assert.InRange(v, -0.1f, 1.1f));
        }
        Assert.Contains(patches, p => p.Label!.As<byte>().Any(l => l > 0));
    }

    [Fact]
    public void Pipeline_PatchLargerThanPreparedVolume_IsPaddedFirst()
    {
        var spec = AbdomenPhantomSpec.Default with { Size = [32, 32, 8], Spacing = [2, 2, 4] };
        var phantom = new AbdomenPhantomGenerator(spec, 1).Generate(0);
        var pipeline = new PreprocessingPipeline(PreprocessingOptions.Default with { TargetSpacing = null, PatchSize = [24, 24, 16], SamplesPerVolume = 2 });

        var patches = pipeline.Augment(pipeline.Prepare(phantom.Image, phantom.Label), new DeterministicRandom(2));

        Assert.All(patches, p => Assert.Equal((24, 24, 16), (p.Image.SizeX, p.Image.SizeY, p.Image.SizeZ)));
        Assert.Throws<ArgumentException>(() =>
            new PreprocessingPipeline(pipeline.Options with { PadToPatchSize = false, PatchSize = [24, 24, 16] })
                .Augment(pipeline.Prepare(phantom.Image, phantom.Label), new DeterministicRandom(2)));
    }
}

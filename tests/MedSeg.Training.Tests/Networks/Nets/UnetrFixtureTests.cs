using MedSeg.Training.Networks.Nets;
using MedSeg.Training.Weights;
using Xunit.Abstractions;
using static TorchSharp.torch;
using MedSeg.Training.Tests.Networks;

namespace MedSeg.Training.Tests.Networks.Nets;

/// <summary>UNETR against MONAI 1.5's own output (fixture unetr_h96_32, see the fixtures README).</summary>
public class UnetrFixtureTests(ITestOutputHelper output)
{
    private static Unetr FixtureModel() =>
        new(inChannels: 1, outChannels: 3, imgSize: [32], featureSize: 8, hiddenSize: 96, mlpDim: 192, numHeads: 4);

    [Fact]
    public void StateDict_Keys_And_Shapes_Equal_Monai_Fixture()
    {
        using var model = FixtureModel();
        var header = SafetensorsHeader.Read(Fixtures.Unetr);
        var expected = header.Entries.Where(e => !StateDictLoader.FixtureSampleNames.Contains(e.Name))
            .ToDictionary(e => e.Name, e => string.Join(",", e.Shape));
        var actual = model.state_dict().ToDictionary(p => p.Key, p => string.Join(",", p.Value.shape));

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, shape) in expected) Assert.True(shape == actual[key], $"{key}: fixture [{shape}] vs model [{actual[key]}]");
    }

    [Fact]
    public void Forward_With_Fixture_Weights_Matches_Monai_Output()
    {
        using var model = FixtureModel();
        var report = StateDictLoader.LoadFile(model, Fixtures.Unetr, strict: true);
        Assert.True(report.IsExact);
        model.eval();
        using var input = SafetensorsFile.ReadTensor(Fixtures.Unetr, "__input__");
        using var expected = SafetensorsFile.ReadTensor(Fixtures.Unetr, "__output__");

        using var _ = no_grad();
        using var actual = model.forward(input);

        Assert.Equal(expected.shape, actual.shape);
        double maxAbs = TensorAssert.MaxAbsDifference(actual, expected);
        output.WriteLine($"UNETR max-abs difference to MONAI: {maxAbs:E3} (output range ±{expected.abs().max().item<float>():G4})");
        Assert.True(maxAbs <= 1e-4, $"max-abs difference {maxAbs:E3} > 1e-4");
    }
}

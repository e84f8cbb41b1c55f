using MedSeg.Training.Networks;
using MedSeg.Training.Verification;
using MedSeg.Training.Weights;
using Xunit.Abstractions;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Networks.Nets.Context;

/// <summary>The five networks of Blendowski et al. 2019 against the authors' notebook (tests/fixtures/context).</summary>
public class ContextNetworkFixtureTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Networks => new()
    {
        { "context_convnet.safetensors", "ContextConvNet" },
        { "context_heatnet.safetensors", "HeatNet" },
        { "context_offnet.safetensors", "OffNet" },
        { "context_doerschnet.safetensors", "DoerschNet" },
        { "context_doerschdecode.safetensors", "DoerschDecodeNet" },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Verifier_Builds_Loads_Strictly_And_Matches_Within_1e5(string file, string type)
    {
        var result = FixtureVerifier.Verify(Path.Combine(Fixtures.Context, file), tolerance: 1e-5);
        output.WriteLine($"{result.ModelName}: max-abs {result.MaxAbsDifference:E3}, {result.ParameterCount} parameters, {result.ForwardTime.TotalMilliseconds:F1} ms");
        Assert.Equal(type, result.ModelType);
        Assert.True(result.LoadReport.IsExact, $"keys: missing {string.Join(",", result.LoadReport.Missing)} unexpected {string.Join(",", result.LoadReport.Unexpected)}");
        Assert.True(result.Passed, $"max-abs {result.MaxAbsDifference:E3} > 1e-5");
    }

    [Fact]
    public void HeatNet_Keeps_BatchNorm_Running_Statistics_Without_A_Counter()
    {
        using var net = ModelFactory.CreatePair("HeatNet", new Dictionary<string, string>());
        var keys = net.state_dict().Keys.ToList();
        Assert.Contains("norm3_1.running_mean", keys);
        Assert.Contains("norm4_1.running_var", keys);
        Assert.DoesNotContain(keys, k => k.Contains("num_batches_tracked"));
    }

    [Fact]
    public void A_Perturbed_Weight_Fails_Verification()
    {
        using var content = SafetensorsFile.Read(Path.Combine(Fixtures.Context, "context_offnet.safetensors"));
        using var temp = new TempDirectory();
        var tensors = content.Tensors.ToDictionary(p => p.Key, p => p.Value.clone());
        tensors["layer_out.bias"].add_(0.01f);
        var path = Path.Combine(temp.Path, "offnet.safetensors");
        SafetensorsFile.Write(path, tensors, content.Metadata);
        var result = FixtureVerifier.Verify(path, tolerance: 1e-5);
        Assert.False(result.Passed);
        Assert.True(result.MaxAbsDifference > 1e-3);
    }

    [Fact]
    public void Pair_Fixture_Without_Second_Input_Is_Refused_By_Name()
    {
        using var content = SafetensorsFile.Read(Path.Combine(Fixtures.Context, "context_heatnet.safetensors"));
        using var temp = new TempDirectory();
        var tensors = content.Tensors.Where(p => p.Key != "__input2__").ToDictionary(p => p.Key, p => p.Value);
        var path = Path.Combine(temp.Path, "heat.safetensors");
        SafetensorsFile.Write(path, tensors, content.Metadata);
        var error = Assert.Throws<InvalidDataException>(() => FixtureVerifier.Verify(path));
        Assert.Contains("__input2__", error.Message);
    }
}

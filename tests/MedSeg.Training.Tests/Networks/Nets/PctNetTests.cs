using MedSeg.Training.Networks;
using MedSeg.Training.Networks.Blocks.PctNet;
using MedSeg.Training.Networks.Nets;
using MedSeg.Training.Verification;
using MedSeg.Training.Weights;
using static TorchSharp.torch;
using MedSeg.Training.Tests.Networks;

namespace MedSeg.Training.Tests.Networks.Nets;

public class PctNetTests
{
    private static string Fixture => Path.Combine(Fixtures.PctNet, "pctnet_mode1_32x64x64.safetensors");

    [Fact]
    public void Fixture_verify_loads_strictly_and_matches_all_four_outputs_within_1e_4()
    {
        var result = FixtureVerifier.Verify(Fixture, 1e-4);
        Assert.True(result.LoadReport.IsExact, result.LoadReport.ToString());
        Assert.NotNull(result.Outputs);
        Assert.Equal(["__output__", "__output_ds1__", "__output_ds2__", "__output_ds3__"], result.Outputs!.Select(o => o.Name));
        foreach (var o in result.Outputs!)
        {
            Assert.Equal(o.ExpectedShape, o.ActualShape);
            Assert.True(o.MaxAbsDifference <= 1e-4, $"{o.Name}: max-abs {o.MaxAbsDifference}");
        }
        Assert.True(result.Passed);
    }

    [Fact]
    public void Relative_position_index_is_the_authors_including_its_collisions()
    {
        using var content = SafetensorsFile.Read(Fixture);
        foreach (var (key, window) in new[] { ("pyramid_ct.convtrans_e2.trans.blocks.0.attn.relative_position_index", 6),
                     ("pyramid_ct.convtrans_e4.trans.blocks.1.attn.relative_position_index", 4) })
        {
            var expected = content[key].data<long>().ToArray();
            Assert.Equal(expected, PctWindowAttention.RelativePositionIndex(window));
        }
        // The nnFormer multipliers (3w−1, 2w−1) make distinct offsets share a row: fewer distinct values than offsets.
        var index = PctWindowAttention.RelativePositionIndex(6);
        Assert.True(index.Distinct().Count() < 11 * 11 * 11);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Every_resolution_mode_has_the_same_state_dict_as_the_release_and_its_own_output_sizes(int mode)
    {
        using var content = SafetensorsFile.Read(Fixture, n => !StateDictLoader.IsFixtureSample(n));
        // Inputs whose 1/4-resolution grid is the fixture's 16³, so the Swin windows (6, 6, 4) are the same.
        var scale = PctNet.Scale(mode);
        long[] size = [16 * scale[0], 64, 64];
        using var net = new PctNet(1, 5, size, [8, 16, 32, 64, 96], resolutionMode: mode, multiscalePred: true);
        var keys = net.state_dict();
        Assert.Equal(content.Tensors.Keys.Order(), keys.Keys.Order());
        foreach (var (k, v) in content.Tensors) Assert.Equal(v.shape, keys[k].shape);

        // Output sizes with a narrow copy (same structure) to keep the test quick.
        using var tiny = new PctNet(1, 5, size, [4, 4, 8, 8, 8], heads: [1, 1, 1], resolutionMode: mode, multiscalePred: true);
        tiny.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var outputs = tiny.ForwardMultiscale(randn([1, 1, size[0], 64, 64]));
        long[][] expected =
        [
            [1, 5, size[0], 64, 64],
            [1, 5, mode == 0 ? size[0] / 2 : size[0], 32, 32],
            [1, 5, 16, 16, 16],
            [1, 5, 8, 8, 8],
        ];
        Assert.Equal(expected, outputs.Select(o => o.shape));
    }

    [Fact]
    public void Inputs_off_the_multiple_and_bad_arguments_are_refused_by_name()
    {
        using var net = new PctNet(1, 3, [16, 32, 32], [4, 8, 8, 8, 8], heads: [1, 1, 1], resolutionMode: 1);
        Assert.Equal([8L, 16, 16], net.InputMultiple);
        var e = Assert.Throws<ArgumentException>(() => net.forward(zeros([1, 1, 12, 32, 32])));
        Assert.Contains("multiple of [8, 16, 16]", e.Message);
        Assert.Contains("input_size[1]", Assert.Throws<ArgumentException>(() => new PctNet(1, 3, [16, 24, 32], resolutionMode: 1)).Message);
        Assert.Contains("resolution_mode", Assert.Throws<ArgumentException>(() => new PctNet(1, 3, [16, 32, 32], resolutionMode: 3)).Message);
        Assert.Contains("'windows'", Assert.Throws<ArgumentException>(() => ModelFactory.Create("PCTNet",
            new Dictionary<string, string> { ["in_chns"] = "1", ["class_num"] = "2", ["input_size"] = "[16, 32, 32]", ["windows"] = "[6, 6, 6]" })).Message);
    }
}

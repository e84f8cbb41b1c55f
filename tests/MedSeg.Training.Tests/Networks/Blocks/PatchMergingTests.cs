using MedSeg.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;
using MedSeg.Training.Networks.Blocks;
using MedSeg.Training.Networks.Nets;
using MedSeg.Training.Tests.Networks;

namespace MedSeg.Training.Tests.Networks.Blocks;

public class PatchMergingTests
{
    [Fact]
    public void Merging_TakesEachSubgridOnce_LegacyDuplicatesTwo()
    {
        static int Distinct(PatchMergingMode mode) =>
            PatchMerging.Offsets(3, mode).Select(o => string.Join(",", o)).Distinct().Count();

        Assert.Equal(8, Distinct(PatchMergingMode.Merging));
        Assert.Equal(8, Distinct(PatchMergingMode.MergingV2));
        Assert.Equal(6, Distinct(PatchMergingMode.LegacyDuplicated));
        // MONAI 1.5's order (confirmed by the fixture output): (1,1,0) comes before (1,0,1).
        Assert.Equal(new[] { 1, 1, 0 }, PatchMerging.Offsets(3, PatchMergingMode.Merging)[4]);
    }

    [Fact]
    public void Forward_ConcatenatesSubgridsInModeOrder_ThenNormAndReduction()
    {
        // 4 channels, channel 0 holding each voxel's parity code 4*d + 2*h + w (others 0). After merging,
        // sub-grid i sits in channels 4i..4i+3; reduction row i picks channel 4i, so output channel i is
        // the LayerNorm-ed code of the i-th concatenated sub-grid.
        using var x = zeros(new long[] { 1, 4, 4, 4, 4 });
        for (int d = 0; d < 4; d++)
            for (int h = 0; h < 4; h++)
                for (int w = 0; w < 4; w++)
                    x[0, d, h, w, 0] = tensor((float)(4 * (d % 2) + 2 * (h % 2) + (w % 2)));

        foreach (var mode in new[] { PatchMergingMode.Merging, PatchMergingMode.LegacyDuplicated, PatchMergingMode.MergingV2 })
        {
            using var merging = new PatchMerging(4, 3, mode);
            var weights = merging.state_dict();
            using (no_grad())
            {
                weights["reduction.weight"].zero_();
                for (int i = 0; i < 8; i++) weights["reduction.weight"][i, 4 * i].fill_(1f);
            }
            using var y = merging.forward(x);
            Assert.Equal(new long[] { 1, 2, 2, 2, 8 }, y.shape);

            // LayerNorm over the 32 channels: 8 codes plus 24 zeros.
            var codes = PatchMerging.Offsets(3, mode).Select(o => 4.0 * o[0] + 2 * o[1] + o[2]).ToArray();
            double mean = codes.Sum() / 32, variance = codes.Sum(c => c * c) / 32 - mean * mean;
            for (int i = 0; i < 8; i++)
                Assert.Equal((codes[i] - mean) / Math.Sqrt(variance + 1e-5), y[0, 1, 0, 1, i].item<float>(), 4);
        }
    }

    [Fact]
    public void LegacySwitch_ChangesSwinUnetrOutput_WithSameWeights()
    {
        using var fixedModel = new SwinUnetr(1, 2, featureSize: 12);
        using var legacyModel = new SwinUnetr(1, 2, featureSize: 12, legacyPatchMerging: true);
        MedSeg.Training.Weights.StateDictLoader.Load(legacyModel, fixedModel.state_dict());
        fixedModel.eval();
        legacyModel.eval();
        using var _ = no_grad();
        using var input = randn(new long[] { 1, 1, 32, 32, 32 });
        using var a = fixedModel.forward(input);
        using var b = legacyModel.forward(input);
        Assert.True((a - b).abs().max().item<float>() > 1e-4);
    }
}

using MedSeg.Training.Estimates;
using MedSeg.Training.Fdsl;
using Xunit.Abstractions;

namespace MedSeg.Training.Tests.Estimates;

/// <summary>
/// PCT-Net (Volume Fusion's network) has a run memory estimate, calibrated by <c>medseg bench memory</c> (CPU, 17 classes,
/// 1 warm-up + 1 step, 2026-12-02) plus the released configuration of <c>medseg bench volf</c>: the estimate stays within
/// 30 % of each measured peak (the other families' fits err as much) and grows with width, crop and batch.
/// </summary>
public class PctNetMemoryEstimateTests(ITestOutputHelper output)
{
    private static ModelChoice Pct(string channels, int crop) =>
        ModelChoice.For("PCTNet", 0, crop, 17, new Dictionary<string, string> { ["feature_chns"] = channels });

    [Theory]
    // configuration, channels, crop, batch, measured MiB (peak resident − before the network, `medseg bench memory --configs …`)
    [InlineData("pctnet-8-32-b2", "[8, 8, 16, 32, 64]", 32, 2, 433.2)]
    [InlineData("pctnet-24-32-b1", "[24, 48, 128, 256, 512]", 32, 1, 1167.2)]
    [InlineData("pctnet-16-64-b1", "[16, 16, 32, 64, 128]", 64, 1, 1571.4)]
    [InlineData("released-64x128x128-b1", "[24, 48, 128, 256, 512]", 0, 1, 11_830.0)] // bench volf: 11.7 GB peak less the ~150 MB process
    public void Estimate_is_within_30_percent_of_the_measured_peak(string name, string channels, int crop, int batch, double measuredMib)
    {
        // crop 0: the released sub-volume 64×128×128 with K + 1 = 5 classes, as Volume Fusion trains it.
        int[]? shape = crop == 0 ? [64, 128, 128] : null;
        var model = crop == 0
            ? MedSeg.Training.Methods.VolumeFusion.VolfModels.Choice("PCTNet", shape!, 5, null)
            : Pct(channels, crop);
        var estimate = RunMemoryEstimator.Estimate(new RunMemoryRequest(model, crop == 0 ? 64 : crop, batch, crop == 0 ? 5 : 17, Shape: shape));
        Assert.NotNull(estimate);
        double mib = estimate.TotalBytes / (1 << 20);
        output.WriteLine($"{name}: params {estimate.Parameters:N0}, width {NetworkWidth.Of(model):F4}, estimate {mib:F0} MiB, measured {measuredMib:F0} MiB");
        Assert.InRange(mib, measuredMib * 0.7, measuredMib * 1.3);
    }

    [Fact]
    public void Estimate_grows_with_width_crop_batch_and_a_non_cubic_sub_volume_counts_its_voxels()
    {
        double Of(string channels, int[] shape, int batch) => RunMemoryEstimator.Estimate(
            new RunMemoryRequest(Pct(channels, shape.Min()), shape.Min(), batch, 5, Shape: shape))!.TotalBytes;
        var small = Of("[8, 8, 16, 32, 64]", [16, 32, 32], 1);
        Assert.True(Of("[16, 16, 32, 64, 128]", [16, 32, 32], 1) > small);
        Assert.True(Of("[8, 8, 16, 32, 64]", [32, 32, 32], 1) > small);
        Assert.True(Of("[8, 8, 16, 32, 64]", [16, 32, 32], 2) > small);
        Assert.Equal(2.0 * 16 * 32 * 32, new RunMemoryRequest(Pct("[8, 8, 16, 32, 64]", 16), 16, 2, 5, Shape: [16, 32, 32]).StepVoxels);
        // Mode 0 down-samples 3D first: the same channels allocate less after the embedding than mode 1.
        var mode0 = new ModelChoice("PCTNet", new Dictionary<string, string> { ["feature_chns"] = "[8, 8, 16, 32, 64]", ["resolution_mode"] = "0" });
        var mode1 = mode0 with { Args = new Dictionary<string, string> { ["feature_chns"] = "[8, 8, 16, 32, 64]", ["resolution_mode"] = "1" } };
        Assert.True(NetworkWidth.Of(mode0) < NetworkWidth.Of(mode1));
    }
}

using MedSeg.Training.Networks;
using MedSeg.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Networks;

public class FlopCounterTests
{
    [Fact]
    public void Counts_Convolutions_Against_The_Formula()
    {
        using var net = new TinySegNet(classes: 3, width: 8);
        using var x = zeros(new long[] { 2, 1, 16, 16, 16 });
        double voxels = 2 * 16 * 16 * 16;
        double expected = 2 * voxels * (1 * 27 * 8 + 8 * 27 * 8 + 8 * 1 * 3); // 2 FLOPs per MAC, per output voxel: Cin·k³·Cout
        Assert.Equal(expected, FlopCounter.Forward(net, x));
    }

    [Fact]
    public void Counts_Linear_And_Transposed_Convolution()
    {
        using var linear = nn.Linear(4, 6);
        using (var tokens = zeros(2, 5, 4)) Assert.Equal(2.0 * 2 * 5 * 4 * 6, FlopCounter.Forward(linear, tokens));
        using var up = nn.ConvTranspose3d(2, 3, 2, stride: 2);
        using var x = zeros(new long[] { 1, 2, 4, 4, 4 });
        Assert.Equal(2.0 * (2 * 64) * 3 * 8, FlopCounter.Forward(up, x)); // every input element scatters a 2³ kernel per output channel
    }

    [Fact]
    public void Real_Networks_Are_Counted_Through_Their_Submodules()
    {
        // UNETR, SwinUNETR and BasicUNet call their layers through Module.call, so every convolution and projection is seen.
        using var net = ModelFactory.Create("BasicUNet", new Dictionary<string, string> { ["features"] = "(4, 4, 8, 8, 16, 4)", ["out_channels"] = "2" });
        using var x = zeros(new long[] { 1, 1, 16, 16, 16 });
        double flops = FlopCounter.Forward(net, x);
        // conv_0's first convolution alone: 16³ voxels × 27 × 1 × 4 MACs.
        Assert.True(flops > 2.0 * 4096 * 27 * 4 * 10, $"BasicUNet counted only {flops:N0} FLOPs");
    }
}

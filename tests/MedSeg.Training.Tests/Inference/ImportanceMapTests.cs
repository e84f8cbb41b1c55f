using MedSeg.Training.Inference;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Inference;

public class ImportanceMapTests
{
    [Fact]
    public void Constant_Map_Is_Ones()
    {
        using var map = ImportanceMap.Compute([3, 4, 5], BlendMode.Constant, 0.125);
        Assert.Equal(new long[] { 3, 4, 5 }, map.shape);
        Assert.Equal(1.0f, map.min().item<float>());
        Assert.Equal(1.0f, map.max().item<float>());
    }

    [Fact]
    public void Gaussian_Map_Is_Separable_Unnormalised_And_Clamped()
    {
        // roi 8, sigma 1: g(i) = exp(−(i − 3.5)² / 2); the centre voxels hold exp(−0.125)³ (MONAI 1.5 does not rescale to 1).
        using var map = ImportanceMap.Compute([8, 8, 8], BlendMode.Gaussian, 0.125);
        Assert.Equal(Math.Exp(-0.375), map[3, 4, 3].item<float>(), 5);
        Assert.Equal(Math.Exp(-0.125 - 0.125 - 1.125), map[3, 3, 5].item<float>(), 5);
        // The corner product exp(−18.375) is below 1e-3 and is raised to it.
        Assert.Equal(1e-3, map[0, 0, 0].item<float>(), 6);
        Assert.Equal(1e-3, map.min().item<float>(), 6);
    }
}

using MedSeg.Training.Methods.Context;
using MedSeg.Training.Weights;

namespace MedSeg.Training.Tests.Methods.Context;

public class HeatmapTargetTests
{
    [Fact]
    public void Target_Equals_The_Notebook_Fixture()
    {
        var path = Path.Combine(Fixtures.Context, "context_heatmap_target.safetensors");
        using var dx = SafetensorsFile.ReadTensor(path, "dx");
        using var dy = SafetensorsFile.ReadTensor(path, "dy");
        using var expected = SafetensorsFile.ReadTensor(path, "heatmap");
        using var actual = HeatmapTarget.Create(dx, dy);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(TensorAssert.MaxAbsDifference(actual, expected) < 1e-5, $"max-abs {TensorAssert.MaxAbsDifference(actual, expected):E3}");
        // Peak 10 at (0, 0) offsets in the centre cell.
        using var zero = TorchSharp.torch.zeros(1);
        using var centred = HeatmapTarget.Create(zero, zero);
        Assert.Equal(10f, centred[0, 0, 9, 9].item<float>(), 5);
    }
}

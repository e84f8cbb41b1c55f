using static TorchSharp.torch;

namespace MedSeg.Training.Tests;

public static class TensorAssert
{
    /// <summary>Same dtype, shape and every element equal.</summary>
    public static bool Same(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && (a.numel() == 0 || a.eq(b).all().item<bool>());

    public static double MaxAbsDifference(Tensor a, Tensor b) =>
        (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets.Context;

/// <summary>Layer factories of the authors' networks.</summary>
internal static class ContextLayers
{
    /// <summary>
    /// GroupNorm with PyTorch's initial affine parameters (weight 1, bias 0): TorchSharp 0.107's <c>nn.GroupNorm</c> leaves
    /// them as uninitialised memory, which turns a freshly built network's output into NaN.
    /// </summary>
    public static GroupNorm GroupNorm(long groups, long channels)
    {
        var norm = nn.GroupNorm(groups, channels);
        using var noGrad = no_grad();
        norm.weight!.fill_(1);
        norm.bias!.zero_();
        return norm;
    }
}

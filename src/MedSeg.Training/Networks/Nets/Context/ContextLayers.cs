using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets.Context;

/// <summary>Layer factories of the authors' networks.</summary>
internal static class ContextLayers
{
    /// <summary>GroupNorm initialised as PyTorch does (see <see cref="Layers.Norms.GroupNorm"/>).</summary>
    public static GroupNorm GroupNorm(long groups, long channels) => Layers.Norms.GroupNorm(groups, channels);
}

using MedSeg.Training.Natives;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Layers;

/// <summary>
/// 3D normalisation layers by MONAI name (<c>monai.networks.layers.factories.Norm</c>), with PyTorch's defaults:
/// <c>instance</c> → InstanceNorm3d (affine=False, no running stats unless asked),
/// <c>batch</c> → BatchNorm3d (affine, running stats), <c>group</c> → GroupNorm (needs num_groups).
/// </summary>
public static class Norms
{
    public static nn.Module<Tensor, Tensor> Create(LayerSpec spec, long channels)
    {
        if (spec.Is("instance"))
        {
            spec.EnsureOnly("affine", "eps", "momentum", "track_running_stats");
            return nn.InstanceNorm3d(channels, eps: spec.GetDouble("eps", 1e-5), momentum: spec.GetDouble("momentum", 0.1),
                affine: spec.GetBool("affine", false), track_running_stats: spec.GetBool("track_running_stats", false));
        }
        if (spec.Is("batch"))
        {
            spec.EnsureOnly("affine", "eps", "momentum", "track_running_stats");
            return nn.BatchNorm3d(channels, eps: spec.GetDouble("eps", 1e-5), momentum: spec.GetDouble("momentum", 0.1),
                affine: spec.GetBool("affine", true), track_running_stats: spec.GetBool("track_running_stats", true));
        }
        if (spec.Is("group"))
        {
            spec.EnsureOnly("num_groups", "eps", "affine");
            long groups = spec.GetLong("num_groups", 0);
            if (groups <= 0 || channels % groups != 0)
                throw new ArgumentException($"Group norm needs num_groups > 0 dividing the {channels} channels, got {groups}.");
            return GroupNorm(groups, channels, spec.GetDouble("eps", 1e-5), spec.GetBool("affine", true));
        }
        throw new ArgumentException($"Unknown norm '{spec.Name}'; supported: instance, batch, group.");
    }

    /// <summary>
    /// GroupNorm with PyTorch's initial affine parameters (weight 1, bias 0): TorchSharp 0.107's <c>nn.GroupNorm</c> leaves
    /// them as uninitialised memory, which can turn a freshly built network's output into NaN.
    /// </summary>
    public static TorchSharp.Modules.GroupNorm GroupNorm(long groups, long channels, double eps = 1e-5, bool affine = true)
    {
        var norm = nn.GroupNorm(groups, channels, eps, affine);
        if (!affine) return norm;
        using var noGrad = no_grad();
        norm.weight!.fill_(ScalarSafe.One);
        norm.bias!.zero_();
        return norm;
    }
}

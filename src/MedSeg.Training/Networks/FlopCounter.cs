using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks;

/// <summary>
/// Multiply-add FLOPs (2 per MAC) of one forward pass, counted with forward hooks on every convolution (3D and
/// transposed) and linear layer for the actual input. Attention's score and value matmuls, norms and activations are not
/// modules with weights and are left out, so for UNETR / SwinUNETR the figure is a slight underestimate (convolutions and
/// projections dominate). A training step is taken as 3 × forward (backward ≈ 2 × forward), the usual estimate.
/// </summary>
public static class FlopCounter
{
    public const double TrainingStepFactor = 3.0;

    /// <summary>FLOPs of <paramref name="net"/>'s forward pass on <paramref name="input"/> (run once here, without gradients).</summary>
    public static double Forward(nn.Module<Tensor, Tensor> net, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(net);
        double flops = 0;
        var removers = new List<Action>();
        foreach (var module in net.named_modules().Select(m => m.module).Prepend(net).Distinct())
        {
            switch (module)
            {
                case Convolution conv:
                {
                    double perOutput = 2.0 * conv.kernel_size.Aggregate(1L, (a, k) => a * k) / conv.groups;
                    var hook = conv.register_forward_hook((_, x, y) =>
                    {
                        flops += conv.transposed
                            ? perOutput * x.numel() * conv.out_channels // every input element scatters into out_channels/groups kernels
                            : perOutput * y.numel() * conv.in_channels;
                        return y;
                    });
                    removers.Add(hook.remove);
                    break;
                }
                case Linear linear:
                {
                    var hook = linear.register_forward_hook((_, _, y) => { flops += 2.0 * y.numel() * linear.in_features; return y; });
                    removers.Add(hook.remove);
                    break;
                }
            }
        }
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            net.call(input);
        }
        finally { foreach (var remove in removers) remove(); }
        return flops;
    }
}

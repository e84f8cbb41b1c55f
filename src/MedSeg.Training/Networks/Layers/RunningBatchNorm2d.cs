using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Layers;

/// <summary>
/// PyTorch <c>BatchNorm2d</c> (momentum 0.1, eps 1e-5, affine, running statistics) whose state_dict holds exactly
/// <c>weight</c>, <c>bias</c>, <c>running_mean</c> and <c>running_var</c>. TorchSharp's own module adds
/// <c>num_batches_tracked</c>, which the 2.5D-context fixtures (and any checkpoint saved without it) lack; with a fixed
/// momentum the counter is never read, so leaving it out changes nothing.
/// </summary>
public sealed class RunningBatchNorm2d : CompositeModule
{
    private readonly TorchSharp.Modules.Parameter weight;
    private readonly TorchSharp.Modules.Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;

    public RunningBatchNorm2d(long features) : base(nameof(RunningBatchNorm2d))
    {
        weight = nn.Parameter(ones(features));
        bias = nn.Parameter(zeros(features));
        running_mean = zeros(features);
        running_var = ones(features);
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
        register_buffer(nameof(running_mean), running_mean);
        register_buffer(nameof(running_var), running_var);
    }

    public override Tensor forward(Tensor input) =>
        nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, momentum: 0.1, eps: 1e-5);
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks.PctNet;

/// <summary>
/// BatchNorm3d (eps 1e-5, momentum 0.1, affine, running statistics) with exactly the state_dict entries of the
/// MIS-FM release: weight, bias, running_mean, running_var. The released weights and the fixture carry no
/// num_batches_tracked (it only matters for momentum = None), so a strict load needs a norm without it.
/// </summary>
public sealed class PctBatchNorm3d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;

    public PctBatchNorm3d(long channels) : base("BatchNorm3d")
    {
        weight = nn.Parameter(ones(channels));
        bias = nn.Parameter(zeros(channels));
        running_mean = zeros(channels);
        running_var = ones(channels);
        register_buffer(nameof(running_mean), running_mean);
        register_buffer(nameof(running_var), running_var);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        nn.functional.batch_norm(x, running_mean, running_var, weight, bias, training, 0.1, 1e-5);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            running_mean.Dispose();
            running_var.Dispose();
        }
        base.Dispose(disposing);
    }
}

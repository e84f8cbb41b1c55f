using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Optimization;

/// <summary>
/// <c>torch.optim.Adam</c> (L2 weight decay added to the gradient) with a step whose Scalars cannot be finalised
/// mid-call (<see cref="AdamStep"/>); the library's state, and its name for the same checkpoint format (see <see cref="AdamW"/>).
/// </summary>
public sealed class Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay)
    : TorchSharp.Modules.Adam(parameters, lr, beta1, beta2, eps, weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = (Options)group.Options;
        double weightDecay = o.weight_decay!.Value;
        AdamStep.Run(group.Parameters, o, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.amsgrad!.Value, o.maximize!.Value,
            p => { var s = (State)_state[p.Handle]; s.step += 1; return new(s.step, s.exp_avg, s.exp_avg_sq); },
            (p, grad, _) =>
            {
                if (weightDecay == 0) return grad;
                using var wd = weightDecay.ToScalar();
                return grad.add(p, wd);
            });
    }, closure);
}

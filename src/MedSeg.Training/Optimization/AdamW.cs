using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Optimization;

/// <summary>
/// <c>torch.optim.AdamW</c> with a step whose Scalars cannot be finalised mid-call (<see cref="AdamStep"/>). Inherits
/// the library's state and param groups; named as the library's class because <c>save_state_dict</c> writes, and
/// <c>load_state_dict</c> demands, the type's short name: optimizer.bin stays byte-identical to TorchSharp's, so
/// checkpoints written before this class existed still resume.
/// </summary>
public sealed class AdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay)
    : TorchSharp.Modules.AdamW(parameters, lr, beta1, beta2, eps, weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = (Options)group.Options;
        AdamStep.Run(group.Parameters, o, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.amsgrad!.Value, o.maximize!.Value,
            p => { var s = (State)_state[p.Handle]; s.step += 1; return new(s.step, s.exp_avg, s.exp_avg_sq); },
            (p, grad, lr) =>
            {
                using var decay = (1 - lr * o.weight_decay!.Value).ToScalar(); // decoupled: the parameter shrinks
                p.mul_(decay);
                return grad;
            });
    }, closure);
}

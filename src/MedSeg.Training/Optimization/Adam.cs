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
        AdamStep.RequirePlain(o.amsgrad!.Value, o.maximize!.Value);
        double weightDecay = o.weight_decay!.Value;
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            var state = (State)_state[param.Handle];
            state.step += 1;
            if (weightDecay != 0)
                using (var wd = weightDecay.ToScalar()) grad = grad.add(param, wd);
            AdamStep.Update(param, grad, state.exp_avg, state.exp_avg_sq, state.step, o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value);
        }
    }, closure);
}

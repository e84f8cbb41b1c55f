using static TorchSharp.torch;

namespace MedSeg.Training.Methods;

/// <summary>
/// A method's heads and loss. The backbone (the network exported as <c>model.safetensors</c> and fine-tuned downstream)
/// is built by the shared loop; the objective adds its own trainable heads (saved in checkpoints with the backbone, so
/// resume is exact) and computes the loss of one batch. An objective may cast the backbone to its concrete type to reach
/// hidden states or extra outputs (e.g. UNETR's block outputs for LWI, PCT-Net's deep-supervision outputs).
/// </summary>
public interface IMethodObjective : IDisposable
{
    /// <summary>Extra trainable parameters (null: none). Registered beside the backbone in optimiser and checkpoints.</summary>
    nn.Module? Heads { get; }

    /// <summary>The loss of one batch; tensors are already on the run's device and in its axis order.</summary>
    LossTerms Compute(nn.Module<Tensor, Tensor> backbone, BatchTensors batch);
}

/// <summary>
/// The loss to back-propagate (<see cref="Total"/>, a scalar) and its named parts, logged per step as metrics
/// (e.g. "loss_rec", "loss_order", "loss_rot", "loss_contrast"); empty when the loss has one term.
/// </summary>
public sealed record LossTerms(Tensor Total, IReadOnlyDictionary<string, Tensor> Terms)
{
    public static LossTerms Single(Tensor total) => new(total, new Dictionary<string, Tensor>());
}

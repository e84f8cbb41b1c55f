using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.Context;

/// <summary>
/// The notebook's <c>init_weights</c>: Xavier-normal weights and zero biases for every Conv2d and ConvTranspose2d (Conv3d
/// keeps PyTorch's default, as in the notebook, whose Doersch networks were never re-initialised).
/// </summary>
public static class NotebookInit
{
    public static T Apply<T>(T module) where T : nn.Module
    {
        using var noGrad = no_grad();
        foreach (var (_, m) in module.named_modules())
        {
            (Tensor? weight, Tensor? bias) = m switch
            {
                Conv2d c => (c.weight, c.bias),
                ConvTranspose2d t => (t.weight, t.bias),
                _ => (null, null),
            };
            if (weight is not null) nn.init.xavier_normal_(weight);
            if (bias is not null) nn.init.zeros_(bias);
        }
        return module;
    }
}

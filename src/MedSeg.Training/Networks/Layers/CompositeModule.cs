using TorchSharp;

namespace MedSeg.Training.Networks.Layers;

/// <summary>
/// Base of the network modules here: disposing a module disposes its registered submodules, so a whole network
/// frees its native tensors with one Dispose (TorchSharp modules hold native memory the GC does not see).
/// </summary>
public abstract class CompositeModule<TInput, TResult>(string name) : torch.nn.Module<TInput, TResult>(name)
{
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var child in children()) child.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>A <see cref="CompositeModule{TInput, TResult}"/> from tensor to tensor.</summary>
public abstract class CompositeModule(string name) : CompositeModule<torch.Tensor, torch.Tensor>(name);

/// <summary>A <see cref="CompositeModule{TInput, TResult}"/> taking an input and a skip connection.</summary>
public abstract class CompositeModule2(string name) : torch.nn.Module<torch.Tensor, torch.Tensor, torch.Tensor>(name)
{
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var child in children()) child.Dispose();
        }
        base.Dispose(disposing);
    }
}

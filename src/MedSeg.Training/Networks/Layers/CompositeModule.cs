using TorchSharp;

namespace MedSeg.Training.Networks.Layers;

/// <summary>
/// The one base of the network modules here (blocks and nets alike, MONAI's layout): disposing a module disposes its registered submodules, so a whole network
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

/// <summary>The two-input form of <see cref="CompositeModule{TInput, TResult}"/> (an input and a skip connection, or a mask).</summary>
public abstract class CompositeModule<TInput1, TInput2, TResult>(string name) : torch.nn.Module<TInput1, TInput2, TResult>(name)
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

/// <summary>A <see cref="CompositeModule{TInput1, TInput2, TResult}"/> taking an input and a skip connection.</summary>
public abstract class CompositeModule2(string name) : CompositeModule<torch.Tensor, torch.Tensor, torch.Tensor>(name);

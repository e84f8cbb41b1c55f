using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks.PctNet;

/// <summary>MIS-FM <c>Mlp</c>: fc1 → GELU (exact) → dropout → fc2 → dropout (keys fc1.*, fc2.*).</summary>
public sealed class PctMlp : CompositeModule
{
    private readonly Linear fc1;
    private readonly GELU act;
    private readonly Linear fc2;
    private readonly RunDropout drop;

    public PctMlp(long dim, long hidden, double dropout) : base("Mlp")
    {
        fc1 = nn.Linear(dim, hidden);
        act = nn.GELU();
        fc2 = nn.Linear(hidden, dim);
        drop = new RunDropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = drop.call(act.call(fc1.call(x)));
        return drop.call(fc2.call(h)).MoveToOuterDisposeScope();
    }
}

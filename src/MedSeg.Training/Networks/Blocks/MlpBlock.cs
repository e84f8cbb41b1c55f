using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// MONAI <c>blocks.MLPBlock</c> ("vit" dropout mode): linear1 → act (GELU, exact) → drop1 → linear2 → drop2.
/// Dosovitskiy et al., ViT, arXiv:2010.11929.
/// </summary>
public sealed class MlpBlock : CompositeModule
{
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly nn.Module<Tensor, Tensor> fn;
    private readonly Layers.RunDropout drop1;
    private readonly Layers.RunDropout drop2;

    /// <param name="mlpDim">Hidden width; 0 means <paramref name="hiddenSize"/> (as in MONAI).</param>
    public MlpBlock(long hiddenSize, long mlpDim, double dropoutRate = 0.0, LayerSpec? act = null) : base(nameof(MlpBlock))
    {
        if (dropoutRate is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(dropoutRate), $"dropout_rate should be between 0 and 1, got {dropoutRate}.");
        if (mlpDim == 0) mlpDim = hiddenSize;
        linear1 = nn.Linear(hiddenSize, mlpDim);
        linear2 = nn.Linear(mlpDim, hiddenSize);
        fn = Activations.Create(act ?? "GELU");
        drop1 = new Layers.RunDropout(dropoutRate);
        drop2 = new Layers.RunDropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = drop1.call(fn.call(linear1.call(input)));
        return drop2.call(linear2.call(x)).MoveToOuterDisposeScope();
    }
}

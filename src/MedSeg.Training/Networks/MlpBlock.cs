using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks;

/// <summary>
/// Transformer feed-forward block as MONAI's <c>MLPBlock</c> with <c>act="GELU"</c> and
/// <c>dropout_mode="swin"</c>: linear1 → GELU (exact erf form) → dropout → linear2 → dropout.
/// State-dict keys: <c>linear1.{weight,bias}</c>, <c>linear2.{weight,bias}</c>.
/// </summary>
public sealed class MlpBlock : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly GELU fn;
    private readonly Dropout drop1;
    private readonly Dropout drop2;

    /// <param name="hiddenSize">input and output features.</param>
    /// <param name="mlpDim">inner features.</param>
    /// <param name="dropoutRate">dropout after the activation and after linear2.</param>
    public MlpBlock(long hiddenSize, long mlpDim, double dropoutRate = 0.0) : base(nameof(MlpBlock))
    {
        if (dropoutRate < 0 || dropoutRate > 1)
            throw new ArgumentOutOfRangeException(nameof(dropoutRate), dropoutRate, "dropout_rate should be between 0 and 1.");
        linear1 = nn.Linear(hiddenSize, mlpDim);
        linear2 = nn.Linear(mlpDim, hiddenSize);
        fn = nn.GELU();
        drop1 = nn.Dropout(dropoutRate);
        drop2 = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = drop1.forward(fn.forward(linear1.forward(x)));
        return drop2.forward(linear2.forward(h)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { linear1.Dispose(); linear2.Dispose(); fn.Dispose(); drop1.Dispose(); drop2.Dispose(); }
        base.Dispose(disposing);
    }
}

using MedSeg.Training.Checkpoints;
using MedSeg.Training.Layout;

namespace MedSeg.Training.FineTune;

/// <summary>
/// The tensor axis order of a fine-tuning run. Unless requested, it follows the init weights (<see cref="WeightsAxisOrder"/>):
/// the order a checkpoint records; <see cref="AxisOrders.Legacy"/> (Zyx) for MedSeg runs from before the order was
/// recorded; <see cref="AxisOrders.Default"/> (MonaiXyz) for scratch and for a safetensors file that records none (weights
/// converted from MONAI, e.g. the self-supervised Swin UNETR encoder). A resumed run keeps its checkpoint's order. A request
/// that contradicts a recorded order is refused (the pretrained kernels would be applied transposed); one that
/// contradicts an implied order is allowed with a warning.
/// </summary>
public sealed record AxisOrderChoice(AxisOrder Order, string Reason, string? Warning)
{
    /// <param name="showPath">How the reason and warning name the init file (they go to the run log, which every lab member
    /// sees: the trainer passes the run-relative form); the error keeps the full path.</param>
    public static AxisOrderChoice Resolve(AxisOrder? requested, InitSource init, string? initFile, Func<string, string>? showPath = null)
    {
        var weights = initFile is null ? null : WeightsAxisOrder.Of(initFile, medSegRun: init.Kind == InitKind.Run);
        var shown = initFile is null ? null : showPath?.Invoke(initFile) ?? initFile;
        var (implied, why) = weights is null
            ? (AxisOrders.Default, "scratch init (default)")
            : (weights.Order, $"init '{shown}': {weights.Reason}");
        if (requested is not AxisOrder wanted) return new AxisOrderChoice(implied, why, null);
        weights?.Apply(wanted, initFile!, "FineTuneOptions.AxisOrder (--axis-order)");
        string? warning = weights is not null && wanted != implied
            ? $"axis order {wanted} {wanted.Describe()} was requested although {why} ({implied}); pretrained kernels may be applied transposed"
            : null;
        return new AxisOrderChoice(wanted, "requested (--axis-order)", warning);
    }

    /// <summary>A resumed run: the order its newest checkpoint was trained with (the loop refuses a contradicting request).</summary>
    public static AxisOrderChoice? OfResume(string outputDir, bool resume, AxisOrder? requested)
    {
        if (!resume || RunAxisOrder.Resumed(outputDir) is not { } order) return null;
        return new AxisOrderChoice(requested ?? order, requested is null ? "the resumed checkpoint's order" : "requested (--axis-order)", null);
    }

    public override string ToString() => $"{Order} {Order.Describe()}: {Reason}";
}

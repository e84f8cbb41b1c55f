using MedSeg.Training.Layout;
using MedSeg.Training.Networks;

namespace MedSeg.Training.FineTune;

/// <summary>
/// The tensor axis order of a fine-tuning run. Unless requested, it follows the init weights: the order a MedSeg
/// checkpoint records; <see cref="AxisOrder.MonaiXyz"/> for a safetensors file that records none (weights converted
/// from MONAI, e.g. the self-supervised Swin UNETR encoder); <see cref="AxisOrder.Zyx"/> for scratch and for runs from
/// before the order was recorded. A request that contradicts a recorded order is refused (the pretrained kernels
/// would be applied transposed); one that contradicts an implied order is allowed with a warning.
/// </summary>
public sealed record AxisOrderChoice(AxisOrder Order, string Reason, string? Warning)
{
    /// <param name="showPath">How the reason and warning name the init file (they go to the run log, which every lab member
    /// sees: the trainer passes the run-relative form); the error keeps the full path.</param>
    public static AxisOrderChoice Resolve(AxisOrder? requested, InitSource init, string? initFile, Func<string, string>? showPath = null)
    {
        AxisOrder? recorded = initFile is null ? null : ModelCheckpoint.ReadAxisOrder(initFile);
        var shown = initFile is null ? null : showPath?.Invoke(initFile) ?? initFile;
        var (implied, why) = init.Kind switch
        {
            InitKind.Run when recorded is AxisOrder r => (r, $"recorded in the init checkpoint '{shown}'"),
            InitKind.Run => (AxisOrders.Legacy, $"the init run's checkpoint '{shown}' predates recorded axis orders (Zyx)"),
            InitKind.Safetensors when recorded is AxisOrder r => (r, $"recorded in the init file '{shown}'"),
            InitKind.Safetensors => (AxisOrder.MonaiXyz, $"the init file '{shown}' records no axis order, so it is taken as MONAI weights"),
            _ => (AxisOrders.Legacy, "scratch init (default)"),
        };
        if (requested is not AxisOrder wanted) return new AxisOrderChoice(implied, why, null);
        if (recorded is AxisOrder rec && rec != wanted)
            throw new ArgumentException(
                $"FineTuneOptions.AxisOrder (--axis-order) is {wanted} {wanted.Describe()}, but the init weights '{initFile}' were trained with "
                + $"{rec} {rec.Describe()}: their kernels would be applied transposed. Leave --axis-order out or pass {rec.ToCliName()}.");
        string? warning = init.Kind != InitKind.Scratch && wanted != implied
            ? $"axis order {wanted} {wanted.Describe()} was requested although {why} ({implied}); pretrained kernels may be applied transposed"
            : null;
        return new AxisOrderChoice(wanted, "requested (--axis-order)", warning);
    }

    public override string ToString() => $"{Order} {Order.Describe()}: {Reason}";
}

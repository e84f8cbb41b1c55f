using System.Globalization;

namespace MedSeg.Training.Layout;

/// <summary>Parsing and naming of <see cref="AxisOrder"/> for options, CLI and checkpoint metadata.</summary>
public static class AxisOrders
{
    /// <summary>Metadata key in model.safetensors and field name in configs.</summary>
    public const string MetadataKey = "axis_order";

    /// <summary>
    /// The order of every new run, fine-tune and prediction, and of weights that record none: MONAI's, so weights trained
    /// here work in MONAI (nibabel → sliding_window_inference) and MONAI weights work here without a flag.
    /// </summary>
    public const AxisOrder Default = AxisOrder.MonaiXyz;

    /// <summary>The order of MedSeg runs and checkpoints that predate the field (they were all trained in buffer order).</summary>
    public const AxisOrder Legacy = AxisOrder.Zyx;

    /// <summary>Accepts "Zyx"/"zyx" and "MonaiXyz"/"monai-xyz"/"monai_xyz" (case-insensitive).</summary>
    public static AxisOrder Parse(string text, string source)
    {
        var t = (text ?? "").Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (t.Equals("zyx", StringComparison.OrdinalIgnoreCase)) return AxisOrder.Zyx;
        if (t.Equals("monaixyz", StringComparison.OrdinalIgnoreCase)) return AxisOrder.MonaiXyz;
        throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
            "{0}: axis order must be 'zyx' or 'monai-xyz', got '{1}'.", source, text));
    }

    /// <summary>CLI spelling: "zyx" or "monai-xyz".</summary>
    public static string ToCliName(this AxisOrder order) => order == AxisOrder.MonaiXyz ? "monai-xyz" : "zyx";

    /// <summary>The tensor's spatial axes by volume axis name, e.g. "(Z, Y, X)".</summary>
    public static string Describe(this AxisOrder order) => order == AxisOrder.MonaiXyz ? "(X, Y, Z)" : "(Z, Y, X)";
}

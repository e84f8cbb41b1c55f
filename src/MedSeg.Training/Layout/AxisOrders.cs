using System.Globalization;

namespace MedSeg.Training.Layout;

/// <summary>Parsing and naming of <see cref="AxisOrder"/> for options, CLI and checkpoint metadata.</summary>
public static class AxisOrders
{
    /// <summary>Metadata key in model.safetensors and field name in configs.</summary>
    public const string MetadataKey = "axis_order";

    /// <summary>The order of runs and checkpoints that predate the field.</summary>
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

namespace MedSeg.Training.Fdsl;

/// <summary>
/// Which network a run trains, as stored in checkpoints: a resumed run must build the same thing.
/// </summary>
public sealed record ModelChoice(string Name, IReadOnlyDictionary<string, string> Args)
{
    /// <summary>Canonical text, e.g. "SwinUNETR(feature_size=12, in_channels=1, out_channels=4)".</summary>
    public string Signature => $"{Name}({string.Join(", ", Args.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"))})";

    public override string ToString() => Signature;

    /// <summary>
    /// Model arguments by MONAI name: in_channels 1, out_channels = classes incl. background, feature_size
    /// (not for BasicUNet, which takes "features"), img_size = patch for UNETR; <paramref name="extra"/> wins.
    /// </summary>
    public static ModelChoice For(string model, int featureSize, int patch, int classCount, IReadOnlyDictionary<string, string>? extra = null)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        if (model.Equals("PCTNet", StringComparison.OrdinalIgnoreCase)) return PctNetChoice(patch, classCount, extra);
        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["in_channels"] = "1",
            ["out_channels"] = classCount.ToString(c),
        };
        if (!model.Equals("BasicUNet", StringComparison.OrdinalIgnoreCase)) args["feature_size"] = featureSize.ToString(c);
        if (model.Equals("UNETR", StringComparison.OrdinalIgnoreCase)) args["img_size"] = $"({patch}, {patch}, {patch})";
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) args[k] = v;
        return new ModelChoice(model, args);
    }

    /// <summary>
    /// The multiple every input edge (crop, patch, sliding-window roi) must be for <paramref name="model"/>: SwinUNETR
    /// patch_size**5 (32 by default: five halvings), UNETR its patch size (16), BasicUNet 16 (its four poolings stay even;
    /// MONAI pads otherwise, but the crop then loses border context). 1 for an unknown name, which the factory refuses.
    /// One rule for the run form, the fine-tune dialog and both CLI commands.
    /// </summary>
    public static int InputMultiple(string model, IReadOnlyDictionary<string, string>? extra = null)
    {
        int Arg(string key, int fallback) =>
            extra is not null && extra.TryGetValue(key, out var v) && int.TryParse(v.Trim('(', ')', ' '), out var n) && n > 0 ? n : fallback;
        return model.ToUpperInvariant() switch
        {
            "SWINUNETR" => (int)Math.Pow(Arg("patch_size", 2), 5),
            "UNETR" => Arg("patch_size", 16),
            "BASICUNET" => 16,
            // PCT-Net: embedding scale × 4 per axis — (16, 16, 16), (8, 16, 16), (4, 16, 16) for modes 0/1/2; a cubic edge needs 16.
            "PCTNET" => 16,
            _ => 1,
        };
    }

    /// <summary>
    /// PCT-Net (MIS-FM) by the authors' keys: in_chns 1, class_num, input_size = the cubic patch, the released channels and
    /// resolution_mode 1, one output (no deep supervision downstream). Pass input_size = the pretraining sub-volume
    /// (e.g. [64, 128, 128]) to keep the pretrained Swin windows when the patch differs; <paramref name="extra"/> wins.
    /// </summary>
    private static ModelChoice PctNetChoice(int patch, int classCount, IReadOnlyDictionary<string, string>? extra)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["in_chns"] = "1",
            ["class_num"] = classCount.ToString(c),
            ["input_size"] = $"[{patch}, {patch}, {patch}]",
            ["feature_chns"] = "[24, 48, 128, 256, 512]",
            ["resolution_mode"] = "1",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) args[k] = v;
        return new ModelChoice("PCTNet", args);
    }
}

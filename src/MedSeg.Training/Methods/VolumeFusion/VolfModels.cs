using MedSeg.Training.Fdsl;
using MedSeg.Training.Networks.Nets;

namespace MedSeg.Training.Methods.VolumeFusion;

/// <summary>The networks Volume Fusion trains and their arguments for a D×H×W sub-volume with K + 1 classes.</summary>
public static class VolfModels
{
    public static readonly string[] Known = ["PCTNet", "BasicUNet", "SwinUNETR", "UNETR"];

    /// <summary>
    /// PCT-Net: the released configuration (feature_chns [24, 48, 128, 256, 512], resolution_mode 1, multiscale_pred
    /// for deep supervision), input_size = the sub-volume. Others: MONAI names as FDSL builds them. User args win.
    /// </summary>
    public static ModelChoice Choice(string model, int[] size, int classes, IReadOnlyDictionary<string, string>? extra)
    {
        string triple = $"[{size[0]}, {size[1]}, {size[2]}]";
        if (model.Equals("PCTNet", StringComparison.OrdinalIgnoreCase))
        {
            // The downstream defaults (released channels, mode 1), planned for this sub-volume, with every output.
            var args = new Dictionary<string, string>(ModelChoice.For("PCTNet", 0, size[0], classes).Args, StringComparer.Ordinal)
            {
                ["input_size"] = triple,
                ["multiscale_pred"] = "True",
            };
            foreach (var (k, v) in extra ?? new Dictionary<string, string>()) args[k] = v;
            return new ModelChoice("PCTNet", args);
        }
        var choice = ModelChoice.For(model, 12, size[0], classes, extra);
        if (model.Equals("UNETR", StringComparison.OrdinalIgnoreCase) && extra?.ContainsKey("img_size") != true)
            choice = choice with { Args = new Dictionary<string, string>(choice.Args) { ["img_size"] = $"({size[0]}, {size[1]}, {size[2]})" } };
        return choice;
    }

    /// <summary>The multiple every side of the sub-volume must be (D, H, W) for the chosen network.</summary>
    public static long[] InputMultiple(ModelChoice choice)
    {
        if (choice.Name == "PCTNet")
        {
            int mode = choice.Args.TryGetValue("resolution_mode", out var m) && int.TryParse(m, out var v) ? v : 0;
            return mode is >= 0 and <= 2 ? PctNet.Multiple(mode) : [1, 1, 1];
        }
        long k = ModelChoice.InputMultiple(choice.Name, choice.Args);
        return [k, k, k];
    }
}

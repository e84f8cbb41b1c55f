namespace MedSeg.Training.Evaluation;

/// <summary>Which tensor of a network serves as its feature map.</summary>
public abstract record FeatureSource
{
    /// <summary>The network's own output (e.g. logits).</summary>
    public sealed record Output : FeatureSource;

    /// <summary>The output of the submodule with this state-dict style name (e.g. "swinViT.layers4").</summary>
    public sealed record OutputOf(string ModuleName) : FeatureSource;

    /// <summary>
    /// The input of the named submodule, e.g. "out" on UNETR / SwinUNETR or "final_conv" on BasicUNet:
    /// the decoder's penultimate features just before the 1×1×1 output convolution.
    /// </summary>
    public sealed record InputOf(string ModuleName) : FeatureSource;

    /// <summary>
    /// Element <paramref name="Index"/> of the tensors returned by the named multi-output submodule, run directly on
    /// the image — for encoders that see the network's input, e.g. "swinViT" (hidden states 0..4 of SwinUNETR,
    /// computed with normalisation as SwinUNETR's default normalize=True does).
    /// </summary>
    public sealed record HiddenStateOf(string ModuleName, int Index) : FeatureSource;

    /// <summary>Parses "output", "output:NAME", "input:NAME" or "hidden:NAME:INDEX".</summary>
    public static FeatureSource Parse(string text)
    {
        var t = text.Trim();
        if (t.Equals("output", StringComparison.OrdinalIgnoreCase)) return new Output();
        int colon = t.IndexOf(':');
        if (colon > 0 && colon < t.Length - 1)
        {
            var kind = t[..colon].ToLowerInvariant();
            var name = t[(colon + 1)..];
            if (kind == "output") return new OutputOf(name);
            if (kind == "input") return new InputOf(name);
            int last = name.LastIndexOf(':');
            if (kind == "hidden" && last > 0 && int.TryParse(name[(last + 1)..], out int index) && index >= 0)
                return new HiddenStateOf(name[..last], index);
        }
        throw new ArgumentException($"Feature source '{text}' is not one of: output, output:MODULE, input:MODULE, hidden:MODULE:INDEX.");
    }
}

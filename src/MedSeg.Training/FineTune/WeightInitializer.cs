using MedSeg.Training.Networks;
using MedSeg.Training.Weights;
using static TorchSharp.torch;
using MedSeg.Training.Networks.Nets;

namespace MedSeg.Training.FineTune;

/// <summary>
/// Loads starting weights into a freshly built network for fine-tuning.
/// Whole network: every module key must exist in the checkpoint (same architecture) and is copied where
/// shapes agree; keys whose shape differs (typically the output head when the class count changed) stay as
/// initialised and are listed in the report. Encoder only: just the encoder's keys
/// (<see cref="EncoderPrefixes"/>), strictly — every encoder key present with its shape — the rest untouched.
/// MONAI/SSL key names are mapped first (<c>module.</c>, <c>swin_vit.</c>, timm's <c>mlp.fc1/fc2</c>; see <see cref="SwinUnetrCheckpoint.MapKey"/>).
/// </summary>
public static class WeightInitializer
{
    /// <summary>Key prefixes of each architecture's encoder (MONAI names).</summary>
    public static IReadOnlyList<string> EncoderPrefixes(string model) => model.ToUpperInvariant() switch
    {
        "SWINUNETR" => ["swinViT."],
        "UNETR" => ["vit."],
        "BASICUNET" => ["conv_0.", "down_1.", "down_2.", "down_3.", "down_4."],
        // PCT-Net: the three patch embeddings and the conv + Swin pyramid, not its class heads (out_conv2/3) nor pred_heads.
        "PCTNET" => ["embeddings.", "pyramid_ct.down", "pyramid_ct.up", "pyramid_ct.convtrans_"],
        _ => throw new ArgumentException($"No encoder definition for model '{model}'; use whole-network init (drop --encoder-only)."),
    };

    /// <summary>Key prefixes of each architecture's class head (its shape follows the downstream task's class count).</summary>
    public static IReadOnlyList<string> HeadPrefixes(string model) => model.ToUpperInvariant() switch
    {
        "SWINUNETR" or "UNETR" => ["out."],
        "BASICUNET" => ["final_conv."],
        "PCTNET" => ["pred_heads.", "pyramid_ct.out_conv"],
        _ => [],
    };

    /// <summary>
    /// What <see cref="Load"/> would report for a file with this header, from names and shapes alone (no tensor read,
    /// nothing copied): throws <see cref="StateDictMismatchException"/> where it would refuse — encoder only: any encoder
    /// key missing, unexpected or mis-shaped; whole network: any key missing, nothing loadable, or — stricter than a load,
    /// which keeps every mis-shaped key as initialised — a shape that differs outside the class head
    /// (<see cref="HeadPrefixes"/>). Checks an upload before it is kept.
    /// </summary>
    public static StateDictLoadReport Check(nn.Module module, string modelName, SafetensorsHeader header, bool encoderOnly)
    {
        var file = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var entry in header.Entries.Where(e => !StateDictLoader.IsFixtureSample(e.Name)))
            if (!file.TryAdd(SwinUnetrCheckpoint.MapKey(entry.Name), entry.Shape))
                throw new InvalidDataException($"Init weights '{header.Path}': keys map to the same name '{SwinUnetrCheckpoint.MapKey(entry.Name)}' (second: '{entry.Name}').");
        var prefixes = encoderOnly ? EncoderPrefixes(modelName) : [""];
        bool Selected(string k) => prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal));
        var target = module.state_dict().Where(p => Selected(p.Key)).ToDictionary(p => p.Key, p => p.Value.shape, StringComparer.Ordinal);
        var loaded = new List<string>();
        var missing = new List<string>();
        var mismatches = new List<ShapeMismatch>();
        foreach (var (name, shape) in target)
        {
            if (!file.TryGetValue(name, out var stored)) missing.Add(name);
            else if (!shape.SequenceEqual(stored)) mismatches.Add(new ShapeMismatch(name, shape, stored));
            else loaded.Add(name);
        }
        var report = new StateDictLoadReport(loaded, missing, [.. file.Keys.Where(k => Selected(k) && !target.ContainsKey(k))], mismatches);
        var heads = HeadPrefixes(modelName);
        var outsideHead = mismatches.Any(m => !heads.Any(h => m.Key.StartsWith(h, StringComparison.Ordinal)));
        if (encoderOnly ? !report.IsExact : missing.Count > 0 || loaded.Count == 0 || outsideHead) throw new StateDictMismatchException(report, header.Path);
        return report;
    }

    public static StateDictLoadReport Load(nn.Module module, string modelName, string path, bool encoderOnly)
    {
        using var content = SafetensorsFile.Read(path, name => !StateDictLoader.IsFixtureSample(name));
        var mapped = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in content.Tensors)
        {
            var name = SwinUnetrCheckpoint.MapKey(key);
            if (!mapped.TryAdd(name, tensor))
                throw new InvalidDataException($"Init weights '{path}': keys map to the same name '{name}' (second: '{key}').");
        }
        var moduleKeys = module.state_dict().Keys.ToList();
        if (encoderOnly)
        {
            var prefixes = EncoderPrefixes(modelName);
            bool IsEncoder(string k) => prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal));
            var encoder = mapped.Where(p => IsEncoder(p.Key)).ToDictionary(p => p.Key, p => p.Value);
            var report = StateDictLoader.Load(module, encoder, strict: false, source: path);
            var missing = report.Missing.Where(IsEncoder).ToList();
            if (missing.Count > 0 || report.Unexpected.Count > 0 || report.ShapeMismatches.Count > 0)
                throw new StateDictMismatchException(report with { Missing = missing }, path);
            return report with { Missing = [] };
        }
        var whole = StateDictLoader.Load(module, mapped, strict: false, source: path);
        if (whole.Missing.Count > 0 || whole.Loaded.Count == 0)
            throw new StateDictMismatchException(whole, path);
        return whole;
    }
}

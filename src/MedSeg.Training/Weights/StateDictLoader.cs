using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Weights;

/// <summary>
/// Copies a name → tensor checkpoint into a module through its <c>state_dict()</c> (parameters and persistent
/// buffers), and saves a module's <c>state_dict</c> as safetensors under the same names.
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Loads <paramref name="checkpoint"/> into <paramref name="module"/>.
    /// Strict: any missing, unexpected or mis-shaped key throws <see cref="StateDictMismatchException"/> before
    /// anything is copied. Non-strict: every key present on both sides with equal shapes is copied, the rest is
    /// reported. Values are converted to the module tensor's dtype and device.
    /// </summary>
    /// <param name="source">Names the checkpoint in error messages (e.g. its file path).</param>
    public static StateDictLoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> checkpoint,
        bool strict = true, StateDictKeyMapping? mapping = null, string? source = null)
    {
        mapping ??= StateDictKeyMapping.None;
        var target = module.state_dict();

        var mapped = new Dictionary<string, Tensor>();
        var unexpected = new List<string>();
        foreach (var (key, tensor) in checkpoint)
        {
            string? name = mapping.Map(key);
            if (name is null) continue;
            if (!mapped.TryAdd(name, tensor))
                throw new ArgumentException($"Checkpoint keys map to the same name '{name}' (second: '{key}').", nameof(checkpoint));
            if (!target.ContainsKey(name)) unexpected.Add(name);
        }

        var loaded = new List<string>();
        var missing = new List<string>();
        var mismatches = new List<ShapeMismatch>();
        foreach (var (name, destination) in target)
        {
            if (!mapping.IsSelected(name)) continue;
            if (!mapped.TryGetValue(name, out var value))
                missing.Add(name);
            else if (!destination.shape.SequenceEqual(value.shape))
                mismatches.Add(new ShapeMismatch(name, destination.shape, value.shape));
            else
                loaded.Add(name);
        }

        var report = new StateDictLoadReport(loaded, missing, unexpected, mismatches);
        if (strict && !report.IsExact) throw new StateDictMismatchException(report, source);

        using (no_grad())
        {
            foreach (var name in loaded) target[name].copy_(mapped[name]);
        }
        return report;
    }

    /// <summary>Entries of the MONAI reference fixtures that hold a sample input/output rather than weights.</summary>
    public static readonly IReadOnlySet<string> FixtureSampleNames = new HashSet<string> { "__input__", "__output__", "__input2__" };

    /// <summary>A fixture's sample tensor: <see cref="FixtureSampleNames"/> or a further reference output such as <c>__output_ds1__</c>.</summary>
    public static bool IsFixtureSample(string name) =>
        FixtureSampleNames.Contains(name) || (name.StartsWith("__output", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal));

    /// <summary>Reads a safetensors checkpoint (skipping <see cref="FixtureSampleNames"/>) and loads it (see <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, bool, StateDictKeyMapping?, string?)"/>).</summary>
    public static StateDictLoadReport LoadFile(nn.Module module, string path, bool strict = true, StateDictKeyMapping? mapping = null)
    {
        using var content = SafetensorsFile.Read(path, name => !IsFixtureSample(name));
        return Load(module, content.Tensors, strict, mapping, path);
    }

    /// <summary>Saves <paramref name="module"/>'s <c>state_dict</c> under its own key names, with optional metadata.</summary>
    public static void Save(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        SafetensorsFile.Write(path, module.state_dict(), metadata);
    }
}

using System.Text;

namespace MedSeg.Training.Weights;

/// <summary>A key present on both sides whose tensor shapes differ.</summary>
public sealed record ShapeMismatch(string Key, long[] ModuleShape, long[] CheckpointShape)
{
    public override string ToString() =>
        $"{Key}: module [{string.Join(", ", ModuleShape)}] vs checkpoint [{string.Join(", ", CheckpointShape)}]";
}

/// <summary>What happened when a checkpoint was matched against a module's <c>state_dict</c> (keys after mapping).</summary>
public sealed record StateDictLoadReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> ShapeMismatches)
{
    /// <summary>True when every module key was loaded from the checkpoint and nothing was left over.</summary>
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatches.Count == 0;

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append($"loaded {Loaded.Count}, missing {Missing.Count}, unexpected {Unexpected.Count}, shape mismatches {ShapeMismatches.Count}");
        AppendList(text, "missing (in module, not in checkpoint)", Missing);
        AppendList(text, "unexpected (in checkpoint, not in module)", Unexpected);
        AppendList(text, "shape mismatches", ShapeMismatches.Select(m => m.ToString()).ToList());
        return text.ToString();
    }

    private static void AppendList(StringBuilder text, string title, IReadOnlyList<string> items)
    {
        const int shown = 20;
        if (items.Count == 0) return;
        text.AppendLine().Append($"  {title}:");
        foreach (var item in items.Take(shown)) text.AppendLine().Append("    ").Append(item);
        if (items.Count > shown) text.AppendLine().Append($"    ... and {items.Count - shown} more");
    }
}

/// <summary>Thrown by a strict load when the checkpoint does not match the module exactly; nothing has been copied.</summary>
public sealed class StateDictMismatchException(StateDictLoadReport report, string? source)
    : Exception($"Checkpoint{(source is null ? "" : $" '{source}'")} does not match the module: {report}")
{
    public StateDictLoadReport Report { get; } = report;
}

using System.Text.Json;

namespace MedSeg.Core.Benchmarks;

/// <summary>
/// What differs between run configurations: each config.json flattened to dotted keys ("options.learningRate"),
/// then only the keys whose value is not the same in every run. The report shows these so a reader sees at once that
/// the cells differ only in init, seed and training cases.
/// </summary>
public static class ConfigDiff
{
    public static IReadOnlyDictionary<string, string> Flatten(string json)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        Walk(doc.RootElement, "", result);
        return result;
    }

    /// <summary>Keys (sorted) whose value differs between at least two of <paramref name="configs"/> (a missing key counts as a value).</summary>
    public static IReadOnlyList<string> DifferingKeys(IEnumerable<IReadOnlyDictionary<string, string>> configs)
    {
        var list = configs.ToList();
        return list.SelectMany(c => c.Keys).Distinct().Order(StringComparer.Ordinal)
            .Where(k => list.Select(c => c.TryGetValue(k, out var v) ? v : null).Distinct().Count() > 1).ToList();
    }

    private static void Walk(JsonElement e, string prefix, IDictionary<string, string> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) Walk(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", into);
                break;
            case JsonValueKind.Array when e.EnumerateArray().All(x => x.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)):
                into[prefix] = "[" + string.Join(", ", e.EnumerateArray().Select(x => x.ToString())) + "]";
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var x in e.EnumerateArray()) Walk(x, $"{prefix}[{i++}]", into);
                break;
            default:
                into[prefix] = e.ToString();
                break;
        }
    }
}

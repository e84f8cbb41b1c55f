using System.Globalization;
using System.Text.Json;

namespace MedSeg.Web.Features.Runs;

/// <summary>One setting across the compared runs: its dotted key and each run's value (null = not set).</summary>
public sealed record ConfigDiffRow(string Key, IReadOnlyList<string?> Values);

/// <summary>
/// Compares run configurations key by key. Configs are JSON objects, flattened to dotted keys
/// ("modelArgs.features"), so any shape the backend stores compares the same way.
/// </summary>
public static class ConfigDiff
{
    /// <summary>Keys whose values are not all equal (a key missing from some configs counts as different), sorted by key.</summary>
    public static IReadOnlyList<ConfigDiffRow> Differences(IReadOnlyList<IReadOnlyDictionary<string, string>> configs) =>
        All(configs).Where(r => r.Values.Distinct().Count() > 1).ToList();

    /// <summary>Every key of every config, sorted.</summary>
    public static IReadOnlyList<ConfigDiffRow> All(IReadOnlyList<IReadOnlyDictionary<string, string>> configs)
    {
        var keys = configs.SelectMany(c => c.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return keys.Select(k => new ConfigDiffRow(k, configs.Select(c => c.TryGetValue(k, out var v) ? v : null).ToList())).ToList();
    }

    /// <summary>A JSON object as dotted key → text; arrays index as "key[0]". Keys compare case-sensitively.</summary>
    public static IReadOnlyDictionary<string, string> Flatten(string json)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return result;
        using var doc = JsonDocument.Parse(json);
        Walk(doc.RootElement, "", result);
        return result;
    }

    private static void Walk(JsonElement e, string prefix, IDictionary<string, string> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) Walk(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", into);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray()) Walk(item, $"{prefix}[{i++}]", into);
                if (i == 0) into[prefix] = "[]";
                break;
            case JsonValueKind.String: into[prefix] = e.GetString() ?? ""; break;
            case JsonValueKind.Number:
                // 1e-4 and 0.0001 are the same setting: compare numbers by value.
                into[prefix] = e.TryGetDouble(out var d) ? d.ToString("R", CultureInfo.InvariantCulture) : e.GetRawText();
                break;
            case JsonValueKind.Null: into[prefix] = "null"; break;
            default: into[prefix] = e.GetRawText(); break;
        }
    }
}

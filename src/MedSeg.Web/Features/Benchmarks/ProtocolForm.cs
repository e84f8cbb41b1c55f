using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MedSeg.Web.Features.Benchmarks;

/// <summary>
/// The form half of the protocol editor: name, datasets, budgets and seeds as the user types them, written into the
/// protocol JSON (the other half, which keeps every field the form does not show). Text that does not parse is
/// written as typed, so the protocol's own problems name it.
/// </summary>
public sealed class ProtocolForm
{
    public string Name { get; set; } = "";
    public List<string> Datasets { get; set; } = [];
    public string Budgets { get; set; } = "";
    public string Seeds { get; set; } = "";

    public static ProtocolForm? FromJson(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject o) return null;
            return new ProtocolForm
            {
                Name = o["name"]?.GetValue<string>() ?? "",
                Datasets = o["datasets"] is JsonArray d ? d.Select(x => x?.ToString() ?? "").ToList() : [],
                Budgets = o["budgets"] is JsonArray b ? string.Join(", ", b.Select(x => x?.ToString())) : "",
                Seeds = o["seeds"] is JsonArray s ? string.Join(", ", s.Select(x => x?.ToString())) : "",
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException) { return null; }
    }

    /// <summary>The JSON with this form's fields replaced (an unreadable JSON is replaced by the form's fields alone).</summary>
    public string ApplyTo(string json)
    {
        JsonObject o;
        try { o = JsonNode.Parse(json) as JsonObject ?? new JsonObject(); }
        catch (JsonException) { o = new JsonObject(); }
        o["name"] = Name;
        o["datasets"] = new JsonArray(Datasets.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray());
        o["budgets"] = new JsonArray(Split(Budgets).Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? (JsonNode?)JsonValue.Create(n) : JsonValue.Create(v)).ToArray());
        o["seeds"] = new JsonArray(Split(Seeds).Select(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? (JsonNode?)JsonValue.Create(n) : JsonValue.Create(v)).ToArray());
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static IEnumerable<string> Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Core.Benchmarks;

/// <summary>JSON of a <see cref="LabelBudget"/>: a number of cases, or the string "all".</summary>
public sealed class LabelBudgetJsonConverter : JsonConverter<LabelBudget>
{
    public override LabelBudget Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out int n) => LabelBudget.Parse(n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        JsonTokenType.String => LabelBudget.Parse(reader.GetString() ?? ""),
        _ => throw new JsonException("a budget must be a whole number of cases or \"all\"."),
    };

    public override void Write(Utf8JsonWriter writer, LabelBudget value, JsonSerializerOptions options)
    {
        if (value.Cases is int n) writer.WriteNumberValue(n);
        else writer.WriteStringValue(value.ToString()); // "all" (kNN columns never stand in a protocol)
    }
}

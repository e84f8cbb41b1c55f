using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Training.Methods;

/// <summary>
/// What every method's options record shares. The record owns its defaults (property initialisers), its JSON
/// (System.Text.Json, camelCase) and <see cref="Problems"/>; the run form edits a copy of it and carries every field
/// it does not show through unchanged.
/// </summary>
public interface IMethodOptions
{
    /// <summary>The run folder.</summary>
    string OutputDir { get; }

    /// <summary>Continue from the newest checkpoint of <see cref="OutputDir"/>.</summary>
    bool Resume { get; }

    /// <summary>
    /// Every bad field, each message naming the field (as the user sees it), the value and the allowed range;
    /// empty when the options can start a run.
    /// </summary>
    IReadOnlyList<string> Problems();

    /// <summary>
    /// The record as JSON, every field written (what a host stores, so a run keeps its settings when defaults change later).
    /// A record with its own JSON settings declares its own <c>ToJson</c>; this default writes camelCase with enums as names.
    /// </summary>
    string ToJson() => JsonSerializer.Serialize(this, GetType(), DefaultJson);

    /// <summary>camelCase, enums as names: the JSON of a record that brings no settings of its own.</summary>
    static readonly JsonSerializerOptions DefaultJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}

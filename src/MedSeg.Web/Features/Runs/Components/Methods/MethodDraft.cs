using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedSeg.Training.Methods;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Features.Runs.Components.Methods;

/// <summary>
/// What the run form edits for a catalogue method (Volume Fusion, LWI, Swin SSL, context, Doersch): a copy of the method's
/// options record as its JSON (defaults from the record, or a cloned run's stored options: every field, shown or not, is
/// carried through), plus name, tags and the data the method reads. Rules: the record's <c>Problems()</c> and the server's
/// limits through <see cref="MethodRunConfig.Parse"/>, the same check the service makes where the request enters.
/// </summary>
public sealed class MethodDraft
{
    /// <summary><see cref="Source"/> prefix of a stored dataset ("dataset:12"); a downstream dataset is its path ("downstream/NAME").</summary>
    public const string DatasetPrefix = "dataset:";

    /// <summary>Stands for the chosen folder while checking (the service puts the real one).</summary>
    private const string PendingFolder = "data/pending";

    public MethodDraft(IPretrainingMethod method, string? configJson = null)
    {
        Method = method;
        Config = (configJson is null ? null : JsonNode.Parse(configJson) as JsonObject)
            ?? (JsonObject)JsonNode.Parse(method.CreateDefaultOptions().ToJson())!;
    }

    public IPretrainingMethod Method { get; }

    /// <summary>The options record as JSON, edited in place by the fields components.</summary>
    public JsonObject Config { get; }

    public string Name { get; set; } = "";
    public string Tags { get; set; } = "";

    /// <summary>"dataset:ID", "downstream/NAME", or "" for none (VolF may use phantom sources instead).</summary>
    public string Source { get; set; } = "";

    /// <summary>Messages of number fields holding text that is not a valid number (by label): submit waits for none.</summary>
    public Dictionary<string, string> FieldErrors { get; } = [];

    /// <summary>A value at a dotted path ("volf.size.2" = the third element of volf.size); <paramref name="fallback"/> when absent.</summary>
    public T Get<T>(string path, T fallback)
    {
        var node = Find(path);
        if (node is not JsonValue value) return fallback;
        if (value.TryGetValue<T>(out var v)) return v;
        // Numbers read back from text JSON are JsonElements: convert through their text.
        try { return JsonSerializer.Deserialize<T>(value.ToJsonString()) ?? fallback; }
        catch (JsonException) { return fallback; }
    }

    public void Set<T>(string path, T value)
    {
        var parts = path.Split('.');
        JsonNode parent = Config;
        foreach (var part in parts[..^1]) parent = Child(parent, part) ?? throw new KeyNotFoundException($"No option '{path}'.");
        var node = JsonValue.Create(value);
        if (parent is JsonArray array) array[int.Parse(parts[^1], CultureInfo.InvariantCulture)] = node;
        else parent[parts[^1]] = node;
    }

    /// <summary>True when the record has an option at <paramref name="path"/> (what the common fields show).</summary>
    public bool Has(string path) => Find(path) is not null;

    /// <summary>Every problem: the chosen data, the options (record rules and limits) and number fields not yet valid.</summary>
    public IReadOnlyList<string> Problems(MethodCatalog catalog, LimitsOptions limits)
    {
        var errors = new List<string>();
        if (Name.Trim().Length is 0 or > 200) errors.Add($"Name: must be 1..200 characters, got '{Name.Trim()}'.");
        errors.AddRange(FieldErrors.Values);
        var folder = Source.Length == 0 ? null : PendingFolder;
        errors.AddRange(MethodRunConfig.Parse(catalog, Method.Name, Config.ToJsonString(), folder, null, limits).Errors);
        return errors;
    }

    public TrainingRunRequest ToRequest()
    {
        var tags = Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int? datasetId = Source.StartsWith(DatasetPrefix, StringComparison.Ordinal)
            ? int.Parse(Source[DatasetPrefix.Length..], CultureInfo.InvariantCulture) : null;
        var downstream = Source.Length > 0 && datasetId is null ? Source : null;
        return new TrainingRunRequest(Name.Trim(), Config.ToJsonString(), datasetId, null, tags.Length == 0 ? null : string.Join(", ", tags),
            Method: Method.Name, Downstream: downstream);
    }

    /// <summary>The draft of an earlier run: its stored options, data and tags.</summary>
    public static MethodDraft FromRun(IPretrainingMethod method, Data.Entities.TrainingRun run)
    {
        var draft = new MethodDraft(method, run.ConfigJson) { Name = $"{run.Name} (clone)", Tags = run.Tags ?? "" };
        var stored = method.SourceOption is { } option ? draft.Get<string?>(option, null) : null;
        draft.Source = run.DatasetId is int id ? DatasetPrefix + id.ToString(CultureInfo.InvariantCulture) : stored ?? "";
        return draft;
    }

    private JsonNode? Find(string path)
    {
        JsonNode? node = Config;
        foreach (var part in path.Split('.'))
        {
            if (node is null) return null;
            node = Child(node, part);
        }
        return node;
    }

    private static JsonNode? Child(JsonNode node, string part) => node switch
    {
        JsonArray a when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        JsonObject o => o[part],
        _ => null,
    };
}

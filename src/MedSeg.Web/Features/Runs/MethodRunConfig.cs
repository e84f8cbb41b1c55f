using System.Text.Json;
using System.Text.Json.Nodes;
using MedSeg.Data.Entities;
using MedSeg.Training.Methods;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// The stored config of a run of a catalogue method (<see cref="TrainingRun.Method"/> = the method's name, e.g. "volf"):
/// the method's own options record as JSON (<see cref="IMethodOptions.ToJson"/>, every field written). The service owns
/// the run folder, resume, device and the data folder: they are never taken from a request. The data folder is the run's
/// stored dataset (<see cref="TrainingRun.DatasetId"/>, resolved at start) or an imported downstream dataset, kept in the
/// method's <see cref="IPretrainingMethod.SourceOption"/> field relative to the data root (so the data root may move).
/// Requests are checked once here (<see cref="Parse"/>: options, limits and the method's memory estimate), trainers once
/// more by the method's <c>Prepare</c>.
/// </summary>
public static class MethodRunConfig
{
    /// <summary>Fields only the service sets.</summary>
    private static readonly string[] ServiceFields = ["outputDir", "resume", "device"];

    /// <summary>What a checked request stores: the options JSON, the network shown in lists, and the step count.</summary>
    public sealed record Entry(IPretrainingMethod Method, string ConfigJson, string Model, long TotalSteps);

    /// <summary>
    /// True for a method the portal trains through the catalogue (every method but the FDSL rows and fine-tuning, which keep
    /// their own stored shapes).
    /// </summary>
    public static bool IsCatalogueMethod(string? method) =>
        method is not null and not TrainingMethods.Fdsl and not TrainingMethods.FineTune and not TrainingMethods.External
        && !IsFdslAlias(method);

    /// <summary>The catalogue names of the two FDSL methods, which the portal stores as <see cref="TrainingMethods.Fdsl"/> rows.</summary>
    public static bool IsFdslAlias(string? method) =>
        method is "fdsl-avsdb" or "fdsl-dataset" || string.Equals(method, TrainingMethods.Fdsl, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Checks a request's options for <paramref name="methodName"/> and returns what to store, or every problem (fields named
    /// with value and limit). <paramref name="sourceFolder"/> is the absolute data folder the run will read (null: none
    /// chosen), <paramref name="storedSource"/> what the config keeps for it (a downstream path relative to the data root,
    /// or null when the run's dataset row names it).
    /// </summary>
    public static (Entry? Entry, IReadOnlyList<string> Errors) Parse(MethodCatalog catalog, string methodName, string? configJson,
        string? sourceFolder, string? storedSource, LimitsOptions? limits)
    {
        if (!catalog.TryGet(methodName, out var method) || !IsCatalogueMethod(methodName))
            return (null, [$"Method: '{methodName}' is unknown; expected one of {string.Join(", ", catalog.All.Select(m => m.Name))}."]);
        if (ReadObject(configJson) is not { } config)
            return (null, ["Config: expected a JSON object of the method's options."]);
        foreach (var serviceField in ServiceFields.Append(method.SourceOption ?? "")) Remove(config, serviceField);
        if (storedSource is not null && method.SourceOption is { } option) config[option] = storedSource;

        var errors = new List<string>();
        var check = (JsonObject)config.DeepClone();
        check["outputDir"] = "runs/validation"; // Problems() wants one; the real folder is set at run time
        if (sourceFolder is not null && method.SourceOption is { } source) check[source] = sourceFolder;
        IMethodOptions options;
        try
        {
            options = method.ReadOptions(JsonSerializer.SerializeToElement(check));
        }
        catch (JsonException e)
        {
            return (null, [$"Config: {e.Message}"]);
        }
        errors.AddRange(options.Problems().Select(p => $"Config: {p}"));
        var stored = ReadObject(options.ToJson())!;
        // The limits apply to the values the run will use, defaults included.
        if (limits is not null) errors.AddRange(RunLimits.Check(stored, limits));
        // Memory last: only for options that are valid otherwise (the estimate builds the network once to count its parameters).
        if (errors.Count == 0 && limits is not null && method.MemoryRequest(options) is { } memory
            && RunMemoryAdmission.Check(memory, limits) is string refusal)
            errors.Add(refusal);
        if (errors.Count > 0) return (null, errors);

        Remove(stored, "outputDir");
        if (method.SourceOption is { } field)
        {
            Remove(stored, field);
            if (storedSource is not null) stored[field] = storedSource;
        }
        var model = stored["model"] is JsonValue m && m.TryGetValue<string>(out var name) ? name : method.Name;
        var steps = stored["steps"] is JsonValue s && s.TryGetValue<long>(out var n) ? n : 0;
        return (new Entry(method, stored.ToJsonString(), model, steps), errors);
    }

    /// <summary>
    /// The options a trainer starts from: the stored JSON with the run folder, resume, device, the clamped thread count
    /// and the absolute data folder (<paramref name="datasetFolder"/>, or the stored relative one under <paramref name="dataRoot"/>).
    /// </summary>
    public static IMethodOptions ForTraining(IPretrainingMethod method, string configJson, string dataRoot, string? datasetFolder,
        string runFolder, string device, Func<int?, int?> clampThreads, string source)
    {
        var config = ReadObject(configJson) ?? throw new ArgumentException($"{source}: the stored config is not a JSON object.");
        config["outputDir"] = runFolder;
        config["resume"] = true; // continue from the newest checkpoint in the folder, if any
        config["device"] = device;
        if (config.ContainsKey("torchThreads"))
            config["torchThreads"] = clampThreads(config["torchThreads"] is JsonValue t && t.TryGetValue<int>(out var threads) ? threads : null);
        if (method.SourceOption is { } option)
        {
            var stored = config[option] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
            var folder = datasetFolder ?? (string.IsNullOrEmpty(stored) ? null : InsideRoot(dataRoot, stored, source));
            if (folder is not null) config[option] = folder;
        }
        try
        {
            return method.ReadOptions(JsonSerializer.SerializeToElement(config));
        }
        catch (JsonException e) { throw new ArgumentException($"{source}: invalid {method.Name} config at {e.Path ?? "$"} ({e.Message})", e); }
    }

    private static string InsideRoot(string dataRoot, string relative, string source)
    {
        var root = Path.GetFullPath(dataRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"{source}: data folder '{relative}' is not inside the data root.");
    }

    private static JsonObject? ReadObject(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try { return JsonNode.Parse(json) as JsonObject; }
        catch (JsonException) { return null; }
    }

    /// <summary>Removes a field whatever its casing (some records read names case-insensitively).</summary>
    private static void Remove(JsonObject config, string field)
    {
        foreach (var key in config.Select(p => p.Key).Where(k => string.Equals(k, field, StringComparison.OrdinalIgnoreCase)).ToList())
            config.Remove(key);
    }
}

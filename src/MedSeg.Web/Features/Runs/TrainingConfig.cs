using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Networks;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// Reads and checks a run's <see cref="FdslOptions"/> JSON where a request enters the portal: unknown fields, wrong
/// types, values <see cref="FdslOptions.Problems"/> rejects, unknown models and the server's step limit come back as
/// messages naming the field and value. The rules themselves live in the options record.
/// </summary>
public static class TrainingConfig
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// The options, or every problem found (then the options are null). With <paramref name="limits"/> (requests entering
    /// the portal) every value is also checked against the server's upper bounds.
    /// </summary>
    public static (FdslOptions? Options, IReadOnlyList<string> Errors) Parse(string? configJson, Infrastructure.Options.LimitsOptions? limits = null)
    {
        if (string.IsNullOrWhiteSpace(configJson)) return (null, ["Config: empty; expected a JSON object of training options."]);
        FdslOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<FdslOptions>(configJson, Json);
        }
        catch (JsonException ex)
        {
            return (null, [$"Config: {ex.Message}"]);
        }
        if (options is null) return (null, ["Config: null; expected a JSON object of training options."]);

        var errors = new List<string>();
        // Paths and resume belong to the service, not the user.
        Sanitize(options);
        options.OutputDir = "runs/validation"; // Problems() wants one; the real folder is set at run time
        errors.AddRange(options.Problems().Select(p => $"Config: {p}"));
        options.OutputDir = "";
        if (!ModelFactory.Names.Contains(options.Model, StringComparer.OrdinalIgnoreCase))
            errors.Add($"Config: model '{options.Model}' is unknown; expected one of {string.Join(", ", ModelFactory.Names)}.");
        if (limits is not null) errors.AddRange(RunLimits.Check(options, limits));
        return errors.Count > 0 ? (null, errors) : (options, errors);
    }

    /// <summary>
    /// The stored options as they are (no rules applied; null when the JSON cannot be read): what a clone starts from, so
    /// a value today's rules refuse is shown and named by the form instead of silently replaced by a default.
    /// </summary>
    public static FdslOptions? Read(string? configJson)
    {
        if (string.IsNullOrWhiteSpace(configJson)) return null;
        try
        {
            var options = JsonSerializer.Deserialize<FdslOptions>(configJson, Json);
            if (options is not null) Sanitize(options);
            return options;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>Output classes incl. background of a run on this AVS-DB spec JSON; null when it cannot be read.</summary>
    public static int? ClassCount(string? specJson)
    {
        if (string.IsNullOrWhiteSpace(specJson)) return null;
        try { return AvsDbSpec.FromJson(specJson, "spec").ClassCount + 1; }
        catch (AvsDbSpecException) { return null; }
    }

    /// <summary>Problems with an on-the-fly AVS-DB spec (empty when it is usable).</summary>
    public static IReadOnlyList<string> ValidateSpec(string specJson)
    {
        try
        {
            AvsDbSpec.FromJson(specJson, "spec");
            return [];
        }
        catch (AvsDbSpecException ex)
        {
            return [.. ex.Errors.Select(e => $"Spec: {e}")];
        }
        catch (JsonException ex)
        {
            return [$"Spec: {ex.Message}"];
        }
    }

    public static string Serialize(FdslOptions options) => JsonSerializer.Serialize(options, Json);

    private static void Sanitize(FdslOptions o)
    {
        o.OutputDir = "";
        o.DatasetDir = null;
        o.SpecPath = null;
        o.Resume = false;
    }
}

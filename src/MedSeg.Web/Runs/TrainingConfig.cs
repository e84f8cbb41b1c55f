using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Networks;

namespace MedSeg.Web.Runs;

/// <summary>
/// Reads and checks a run's <see cref="FdslOptions"/> JSON: unknown fields, wrong types, values <see cref="FdslOptions.Validate"/>
/// rejects and unknown models come back as messages naming the field and value.
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
    public static (FdslOptions? Options, IReadOnlyList<string> Errors) Parse(string? configJson, Options.LimitsOptions? limits = null)
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
        options.OutputDir = "runs/validation"; // Validate() wants one; the real folder is set at run time
        try { options.Validate(); }
        catch (ArgumentException ex) { errors.Add($"Config: {ex.Message}"); }
        options.OutputDir = "";
        if (!ModelFactory.Names.Contains(options.Model, StringComparer.OrdinalIgnoreCase))
            errors.Add($"Config: model '{options.Model}' is unknown; expected one of {string.Join(", ", ModelFactory.Names)}.");
        if (limits is not null) errors.AddRange(RunLimits.Check(options, limits));
        if (options.Device is not ("auto" or "cpu") && !options.Device.StartsWith("cuda", StringComparison.Ordinal))
            errors.Add($"Config: device '{options.Device}' is unknown; expected auto, cpu or cuda[:N].");
        return errors.Count > 0 ? (null, errors) : (options, errors);
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

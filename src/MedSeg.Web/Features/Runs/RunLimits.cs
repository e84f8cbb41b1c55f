using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MedSeg.Training.Fdsl;
using MedSeg.Training.FineTune;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// Checks run settings against <see cref="LimitsOptions"/> where requests enter (API, pages, clone, fine-tune dialog):
/// one message per value over its bound, naming the field, the value and the setting that bounds it.
/// </summary>
public static partial class RunLimits
{
    public static IReadOnlyList<string> Check(FdslOptions o, LimitsOptions limits)
    {
        var problems = new List<string>();
        Common(problems, limits, o.TorchThreads, o.BatchSize, o.Crop, "Crop", o.FeatureSize, o.ModelArgs, o.KeepLast, o.LoaderWorkers, o.Prefetch);
        Max(problems, "Samples", o.Samples, limits.MaxSamples, nameof(LimitsOptions.MaxSamples));
        Max(problems, "Epochs", o.Epochs, limits.MaxEpochs, nameof(LimitsOptions.MaxEpochs));
        Max(problems, "ValidationSamples", o.ValidationSamples, limits.MaxValidationSamples, nameof(LimitsOptions.MaxValidationSamples));
        if (o.Steps is int steps) Max(problems, "Steps", steps, limits.MaxSteps, nameof(LimitsOptions.MaxSteps));
        else if (o.Samples <= limits.MaxSamples && o.Epochs <= limits.MaxEpochs && o.BatchSize > 0)
        {
            // Epochs × samples ÷ batch, computed without the int overflow of TotalSteps.
            var total = (long)Math.Ceiling((double)o.Epochs * o.Samples / o.BatchSize);
            if (total > limits.MaxSteps)
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Config: {total} steps exceed the server's limit of {limits.MaxSteps} (Limits:MaxSteps)."));
        }
        return problems;
    }

    public static IReadOnlyList<string> Check(FineTuneOptions o, LimitsOptions limits)
    {
        var problems = new List<string>();
        Common(problems, limits, o.TorchThreads, o.BatchSize, o.PatchSize, "PatchSize", o.FeatureSize, o.ModelArgs, o.KeepLast, o.LoaderWorkers, o.Prefetch);
        Max(problems, "Steps", o.Steps, limits.MaxSteps, nameof(LimitsOptions.MaxSteps));
        return problems;
    }

    /// <summary>
    /// The options of any catalogue method, by field name wherever it sits (the records share their names: steps, batchSize,
    /// crop, featureSize, modelArgs, …; a size array such as VolF's volf.size is bounded like the crop).
    /// </summary>
    public static IReadOnlyList<string> Check(JsonObject config, LimitsOptions limits)
    {
        var problems = new List<string>();
        CheckFields(problems, config, limits);
        return problems;
    }

    private static void CheckFields(List<string> problems, JsonObject config, LimitsOptions limits)
    {
        foreach (var (key, node) in config)
        {
            if (node is JsonObject inner)
            {
                if (key.Equals("modelArgs", StringComparison.OrdinalIgnoreCase))
                    ModelArgWidths(problems, inner.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? ""), limits);
                else CheckFields(problems, inner, limits);
                continue;
            }
            if (node is JsonArray array && key.Equals("size", StringComparison.OrdinalIgnoreCase))
                foreach (var item in array)
                    if (item is JsonValue edge && edge.TryGetValue<long>(out var v)) Max(problems, "Size", v, limits.MaxCrop, nameof(LimitsOptions.MaxCrop));
            if (node is not JsonValue value || !value.TryGetValue<long>(out var n)) continue;
            var bound = key.ToLowerInvariant() switch
            {
                "steps" => ("Steps", limits.MaxSteps, nameof(LimitsOptions.MaxSteps)),
                "batchsize" => ("BatchSize", limits.MaxBatchSize, nameof(LimitsOptions.MaxBatchSize)),
                "crop" or "patchsize" => ("Crop", limits.MaxCrop, nameof(LimitsOptions.MaxCrop)),
                "featuresize" => ("FeatureSize", limits.MaxNetworkWidth, nameof(LimitsOptions.MaxNetworkWidth)),
                "samples" or "phantomcount" => (key, limits.MaxSamples, nameof(LimitsOptions.MaxSamples)),
                "validationsamples" => ("ValidationSamples", limits.MaxValidationSamples, nameof(LimitsOptions.MaxValidationSamples)),
                "keeplast" => ("KeepLast", limits.MaxKeepLast, nameof(LimitsOptions.MaxKeepLast)),
                "loaderworkers" => ("LoaderWorkers", limits.MaxLoaderWorkers, nameof(LimitsOptions.MaxLoaderWorkers)),
                "prefetch" => ("Prefetch", limits.MaxPrefetch, nameof(LimitsOptions.MaxPrefetch)),
                "torchthreads" => ("TorchThreads", limits.MaxTorchThreads, nameof(LimitsOptions.MaxTorchThreads)),
                _ => ((string, long, string)?)null,
            };
            if (bound is var (field, limit, setting)) Max(problems, field, n, limit, setting);
        }
    }

    /// <summary>The thread count a run actually uses: its own, bounded by the limit and the cores (runs stored before a limit existed too).</summary>
    public static int? ClampThreads(int? requested, LimitsOptions limits) =>
        requested is int t ? Math.Clamp(t, 1, Math.Max(1, Math.Min(limits.MaxTorchThreads, Environment.ProcessorCount))) : null;

    private static void Common(List<string> problems, LimitsOptions limits, int? threads, int batch, int crop, string cropField,
        int featureSize, Dictionary<string, string> modelArgs, int keepLast, int workers, int prefetch)
    {
        if (threads is int t) Max(problems, "TorchThreads", t, limits.MaxTorchThreads, nameof(LimitsOptions.MaxTorchThreads));
        Max(problems, "BatchSize", batch, limits.MaxBatchSize, nameof(LimitsOptions.MaxBatchSize));
        Max(problems, cropField, crop, limits.MaxCrop, nameof(LimitsOptions.MaxCrop));
        Max(problems, "FeatureSize", featureSize, limits.MaxNetworkWidth, nameof(LimitsOptions.MaxNetworkWidth));
        ModelArgWidths(problems, modelArgs, limits);
        Max(problems, "KeepLast", keepLast, limits.MaxKeepLast, nameof(LimitsOptions.MaxKeepLast));
        Max(problems, "LoaderWorkers", workers, limits.MaxLoaderWorkers, nameof(LimitsOptions.MaxLoaderWorkers));
        Max(problems, "Prefetch", prefetch, limits.MaxPrefetch, nameof(LimitsOptions.MaxPrefetch));
    }

    private static void ModelArgWidths(List<string> problems, Dictionary<string, string> modelArgs, LimitsOptions limits)
    {
        foreach (var (key, value) in modelArgs)
        {
            // Widths hide in tuples ("features=(8, 8, 16, 32, 64, 8)"): every integer of every argument is bounded.
            var widest = Integers().Matches(value ?? "").Select(m => long.TryParse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : long.MaxValue)
                .DefaultIfEmpty(0).Max();
            if (widest > limits.MaxNetworkWidth)
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Config: ModelArgs['{key}'] holds {widest}, above the server's limit of {limits.MaxNetworkWidth} (Limits:{nameof(LimitsOptions.MaxNetworkWidth)})."));
        }
    }

    private static void Max(List<string> problems, string field, long value, long limit, string setting)
    {
        if (value <= limit) return;
        var c = CultureInfo.InvariantCulture;
        problems.Add(field == "Steps"
            ? string.Create(c, $"Config: {value} steps exceed the server's limit of {limit} (Limits:{setting}).")
            : string.Create(c, $"Config: {field} {value} is above the server's limit of {limit} (Limits:{setting})."));
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Integers();
}

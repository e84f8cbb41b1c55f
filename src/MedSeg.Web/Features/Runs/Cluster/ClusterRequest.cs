using System.Globalization;
using System.Text.Json;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Runs.Cluster;

/// <summary>
/// What a cluster run asks Slurm for; stored on the run (<c>TrainingRuns.ClusterRequestJson</c>, camelCase). A field left
/// null takes the site's default (<see cref="SlurmOptions"/>) when the job is submitted.
/// </summary>
public sealed record ClusterRequest(string? Partition = null, int? Gpus = null, int? Cpus = null, int? MemoryGb = null, int? TimeLimitMinutes = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every problem with the request against the site's allowed values (field, value, limit and setting named).</summary>
    public IReadOnlyList<string> Problems(SlurmOptions site)
    {
        var problems = new List<string>();
        if (Partition is not null && !site.Partitions.Contains(Partition, StringComparer.Ordinal))
            problems.Add($"Cluster partition: '{Partition}' is not offered here; expected one of {string.Join(", ", site.Partitions)} (Slurm:Partitions).");
        if (Gpus is int g && (g < 0 || g > site.MaxGpus)) problems.Add($"Cluster GPUs: must be 0..{site.MaxGpus} (Slurm:MaxGpus), got {g}.");
        if (Cpus is int c && (c < 1 || c > site.MaxCpus)) problems.Add($"Cluster CPUs: must be 1..{site.MaxCpus} (Slurm:MaxCpus), got {c}.");
        if (MemoryGb is int m && (m < 0 || m > site.MaxMemoryGb)) problems.Add($"Cluster memory: must be 0..{site.MaxMemoryGb} GiB (Slurm:MaxMemoryGb; 0 = the partition's default), got {m}.");
        var maxMinutes = (int)site.MaxTimeLimit.TotalMinutes;
        if (TimeLimitMinutes is int t && (t < 1 || t > maxMinutes))
            problems.Add($"Cluster time limit: must be 1..{maxMinutes} minutes (Slurm:MaxTimeLimit {site.MaxTimeLimit}), got {t}.");
        return problems;
    }

    /// <summary>This request with the site's defaults filled in: what the batch script asks for.</summary>
    public ClusterRequest WithDefaults(SlurmOptions site) => new(
        Partition ?? site.Partitions.FirstOrDefault() ?? "debug",
        Gpus ?? site.DefaultGpus,
        Cpus ?? site.DefaultCpus,
        MemoryGb ?? site.DefaultMemoryGb,
        TimeLimitMinutes ?? (int)Math.Ceiling(site.DefaultTimeLimit.TotalMinutes));

    /// <summary>Slurm's <c>--time</c> form, <c>D-HH:MM:SS</c>.</summary>
    public static string SlurmTime(int minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{minutes / 1440}-{minutes / 60 % 24:00}:{minutes % 60:00}:00");

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The stored request; an empty one (all defaults) for null or unreadable JSON.</summary>
    public static ClusterRequest FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new();
        try { return JsonSerializer.Deserialize<ClusterRequest>(json, Json) ?? new(); }
        catch (JsonException) { return new(); }
    }

    public override string ToString() =>
        $"partition {Partition}, {Gpus} GPU(s), {Cpus} CPU(s), {(MemoryGb is > 0 ? $"{MemoryGb} GiB" : "default memory")}, time limit {SlurmTime(TimeLimitMinutes ?? 0)}";
}

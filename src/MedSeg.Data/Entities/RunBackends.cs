namespace MedSeg.Data.Entities;

/// <summary>Values of <see cref="TrainingRun.Backend"/>: where a run executes.</summary>
public static class RunBackends
{
    /// <summary>The portal's own co-hosted training service (leases between portal processes sharing a database).</summary>
    public const string Local = "Local";

    /// <summary>A Slurm batch job per (re)start; the worker on the compute node reports to the portal over HTTP.</summary>
    public const string Slurm = "Slurm";

    public static readonly IReadOnlyList<string> All = [Local, Slurm];

    /// <summary>The canonical spelling of <paramref name="name"/> (case-insensitive), or null when it is no backend.</summary>
    public static string? Parse(string? name) => All.FirstOrDefault(b => string.Equals(b, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}

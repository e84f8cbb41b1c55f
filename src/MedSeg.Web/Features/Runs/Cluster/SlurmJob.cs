using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Runs.Cluster;

/// <summary>
/// One row of <c>squeue --states=all</c>: id, state, reason, node, time limit, name, partition, user, elapsed and working
/// directory (the run folder: what tells this portal's job from another portal's job of the same name on a shared cluster).
/// </summary>
public sealed record SlurmJob(string JobId, string State, string? Reason, string? Node, string TimeLimit, string Name, string Partition, string User, string Elapsed,
    string? WorkDir = null)
{
    /// <summary>States after which the job never runs again (a requeue makes a job PENDING again first).</summary>
    private static readonly HashSet<string> Final =
    [
        "COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED", "SPECIAL_EXIT",
    ];

    /// <summary>True for a state the job cannot leave (the portal then settles the run).</summary>
    public static bool IsFinal(string? state) => state is not null && Final.Contains(state);

    /// <summary>"PENDING (Resources)", "RUNNING on node7", "FAILED (JobLaunchFailure)".</summary>
    public static string Describe(string? state, string? reason, string? node) =>
        $"{state ?? "?"}{(reason is null ? "" : $" ({reason})")}{(node is null || state is "PENDING" ? "" : $" on {node}")}";

    public static SlurmJob? Parse(string line)
    {
        var f = line.Trim().Split(';');
        if (f.Length < 9 || f[0].Length == 0) return null;
        // The folder is the last field: a ';' in it stays part of it.
        var workDir = f.Length > 9 ? NoneToNull(string.Join(';', f[9..])) : null;
        return new SlurmJob(f[0], f[1], NoneToNull(f[2]), NoneToNull(f[3]), f[4], f[5], f[6], f[7], f[8], workDir);
    }

    /// <summary>
    /// True when the job works in <paramref name="folder"/> (trailing separators aside); a job Slurm listed without its
    /// folder cannot be told apart and counts as a match.
    /// </summary>
    public bool WorksIn(string folder) =>
        WorkDir is null || string.Equals(Path.TrimEndingDirectorySeparator(WorkDir), Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)), StringComparison.Ordinal);

    private static string? NoneToNull(string value) => value is "" or "None" or "(null)" ? null : value;
}

/// <summary>One row of <c>sinfo</c>: a partition (with '*' on the default), availability, time limit, nodes, their state, GRES.</summary>
public sealed record SlurmPartition(string Name, bool IsDefault, string Availability, string TimeLimit, int Nodes, string State, string Gres)
{
    public static SlurmPartition? Parse(string line)
    {
        var f = line.Trim().Split(';');
        if (f.Length < 6 || f[0].Length == 0) return null;
        return new SlurmPartition(f[0].TrimEnd('*'), f[0].EndsWith('*'), f[1], f[2], int.TryParse(f[3], out var n) ? n : 0, f[4], f[5]);
    }
}

namespace MedSeg.Data.Entities;

/// <summary>
/// A named lease on a job that exactly one of several portal processes sharing the database may do (e.g. polling Slurm):
/// the holder renews <see cref="ExpiresAt"/> on every pass; when it lapses (the holder died) another process takes it.
/// </summary>
public class ServiceLease
{
    /// <summary>What the lease is for, e.g. <c>slurm-poller</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The process holding it (machine, process id and a per-start suffix).</summary>
    public string Holder { get; set; } = "";

    public DateTime ExpiresAt { get; set; }
}

namespace MedSeg.Web.Infrastructure.Options;

/// <summary>
/// One lab's quotas (<see cref="LimitsOptions.Labs"/>): runs training at once, runs queued, bytes on disk. A null value
/// in configuration falls back to the section's default (<see cref="LimitsOptions.QuotaFor"/> fills every one).
/// </summary>
public sealed class LabQuota
{
    public int? MaxRunningRuns { get; set; }

    public int? MaxQueuedRuns { get; set; }

    public long? MaxDiskBytes { get; set; }
}

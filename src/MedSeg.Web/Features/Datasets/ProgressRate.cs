namespace MedSeg.Web.Features.Datasets;

/// <summary>Volumes per second and time left over one generation run (volumes resumed from earlier runs do not count).</summary>
public sealed class ProgressRate(TimeProvider? clock = null)
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;
    private readonly long startTicks = (clock ?? TimeProvider.System).GetTimestamp();

    /// <summary>(rate, eta seconds); both null until this run has written a volume.</summary>
    public (double? Rate, double? EtaSeconds) Measure(int writtenThisRun, int done, int total)
    {
        var seconds = clock.GetElapsedTime(startTicks).TotalSeconds;
        if (writtenThisRun <= 0 || seconds <= 0) return (null, null);
        var rate = writtenThisRun / seconds;
        return (rate, Math.Max(0, total - done) / rate);
    }
}

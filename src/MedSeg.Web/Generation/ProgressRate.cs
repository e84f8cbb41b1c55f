namespace MedSeg.Web.Generation;

/// <summary>Volumes per second and time left over one generation run (volumes from earlier runs do not count).</summary>
public sealed class ProgressRate(int doneAtStart, TimeProvider? clock = null)
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;
    private readonly long startTicks = (clock ?? TimeProvider.System).GetTimestamp();

    /// <summary>(rate, eta seconds); both null until a volume of this run is done.</summary>
    public (double? Rate, double? EtaSeconds) Measure(int done, int total)
    {
        var seconds = clock.GetElapsedTime(startTicks).TotalSeconds;
        var doneThisRun = done - doneAtStart;
        if (doneThisRun <= 0 || seconds <= 0) return (null, null);
        var rate = doneThisRun / seconds;
        return (rate, Math.Max(0, total - done) / rate);
    }
}

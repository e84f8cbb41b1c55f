using System.Globalization;
using MedSeg.Training.Estimates;
using MedSeg.Web.Components;
using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Features.Runs.Components;

/// <summary>
/// What the run form shows before a run is queued (issue 12 "Estimates before big work"): memory per step, step time on
/// the chosen device from the probe, total duration; and whether to ask before queuing (over a day, or more memory than
/// the machine has available now). Above the server's limit the run is refused outright (<see cref="RunMemoryAdmission"/>).
/// </summary>
public sealed record RunEstimate(RunMemoryEstimate? Memory, long LimitBytes, long? AvailableBytes, double? MsPerStep, long TotalSteps)
{
    /// <summary>Longer than this asks for a confirmation.</summary>
    public static readonly TimeSpan ConfirmAbove = TimeSpan.FromDays(1);

    public TimeSpan? Duration => MsPerStep is double ms && double.IsFinite(ms)
        ? TimeSpan.FromMilliseconds(Math.Min(ms * TotalSteps, TimeSpan.MaxValue.TotalMilliseconds / 2))
        : null;

    public bool OverLimit => Memory is { } m && m.TotalBytes > LimitBytes;
    public bool OverAvailable => Memory is { } m && AvailableBytes is long free && m.TotalBytes > free;
    public bool OverADay => Duration > ConfirmAbove;
    public bool NeedsConfirmation => !OverLimit && (OverAvailable || OverADay);

    public string MemoryText => Memory is { } m
        ? $"Memory per step: about {m.Describe()}; server limit {RunMemoryEstimate.Gib(LimitBytes)}" +
          (AvailableBytes is long free ? $", available now {RunMemoryEstimate.Gib(free)}." : ".")
        : "Memory per step: no estimate for this network (no calibration, or the settings are not valid yet).";

    public string DurationText => Duration is { } d
        ? string.Create(CultureInfo.InvariantCulture, $"Total: about {Formatting.Duration(d)} for {TotalSteps:N0} steps.")
        : string.Create(CultureInfo.InvariantCulture, $"Total: {TotalSteps:N0} steps; measure the step time for a duration.");

    /// <summary>The question the confirmation dialog asks.</summary>
    public string ConfirmationText => string.Join(" ", new[]
    {
        OverADay ? $"This run takes about {Formatting.Duration(Duration!.Value)}, more than a day." : null,
        OverAvailable ? $"It needs about {RunMemoryEstimate.Gib(Memory!.TotalBytes)}, more than the {RunMemoryEstimate.Gib(AvailableBytes!.Value)} available on the server now." : null,
        "Queue it anyway?",
    }.Where(s => s is not null));
}

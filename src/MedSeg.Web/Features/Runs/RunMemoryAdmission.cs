using System.Globalization;
using System.Runtime.InteropServices;
using MedSeg.Training.Estimates;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// Refuses a run whose memory estimate (<see cref="RunMemoryEstimator"/>) exceeds <see cref="LimitsOptions.MaxRunMemoryBytes"/>,
/// where run requests enter (API, run form, clone, fine-tune dialog): issue 11's "an estimate of the run's memory from
/// network, crop and batch refuses runs that cannot fit". A network without calibration, or one that cannot be built
/// (the trainer names that), is not refused here.
/// </summary>
public static class RunMemoryAdmission
{
    /// <summary>The estimate, or null when the network has none.</summary>
    public static RunMemoryEstimate? Estimate(RunMemoryRequest request)
    {
        try { return RunMemoryEstimator.Estimate(request); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or ExternalException) { return null; }
    }

    /// <summary>The refusal naming the estimate, the limit and what to lower; null when the run fits (or has no estimate).</summary>
    public static string? Check(RunMemoryRequest request, LimitsOptions limits, string cropField = "Crop") =>
        Estimate(request) is { } estimate && estimate.TotalBytes > limits.MaxRunMemoryBytes
            ? Refusal(estimate, limits.MaxRunMemoryBytes, $"BatchSize ({request.BatchSize}) or {request.CropField ?? cropField} ({request.CropText})")
            : null;

    /// <summary>The message for a run over the limit; <paramref name="lower"/> names the fields to lower and their values.</summary>
    public static string Refusal(RunMemoryEstimate estimate, long limit, string lower) => string.Create(CultureInfo.InvariantCulture,
        $"Memory: this run needs an estimated {estimate.Describe()}, more than the server's limit of {RunMemoryEstimate.Gib(limit)} " +
        $"(Limits:{nameof(LimitsOptions.MaxRunMemoryBytes)}). Lower {lower}, or choose a narrower network.");
}

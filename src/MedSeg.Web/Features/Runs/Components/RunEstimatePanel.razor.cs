using System.Globalization;
using MedSeg.Training.Estimates;
using MedSeg.Training.Fdsl;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Features.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Features.Runs.Components;

public partial class RunEstimatePanel
{
    [Inject] private StepTimeProbes Probes { get; set; } = default!;
    [Inject] private IOptions<LimitsOptions> Limits { get; set; } = default!;
    [Inject] private MachineMemory Memory { get; set; } = default!;

    /// <summary>The draft the form edits (read only here).</summary>
    [Parameter, EditorRequired] public RunDraft Draft { get; set; } = default!;

    /// <summary>Output classes incl. background of the chosen data.</summary>
    [Parameter] public int Classes { get; set; } = 17;

    /// <summary>
    /// Called whenever the estimate changes. A plain delegate, not an EventCallback: the form re-renders only when what
    /// it shows changes (a re-render while a field commits its text can drop the keystroke).
    /// </summary>
    [Parameter] public Action<RunEstimate>? EstimateChanged { get; set; }

    private RunEstimate? estimate;
    private StepTimeMeasurement? measurement;
    private string? probeError;
    private bool probing;
    private string? key;

    private bool CanProbe => Draft.Options.Crop is > 0 and <= 1024 && Draft.Options.BatchSize > 0 && Draft.Validate().All(e => !e.StartsWith("FdslOptions.", StringComparison.Ordinal));

    private string StepText => measurement is { } m && estimate?.MsPerStep is double ms
        ? string.Create(CultureInfo.InvariantCulture,
            $"Step time on {m.Device}: about {Seconds(ms)} (probe: one step of batch 1 at {m.ProbeCrop}³ took {Seconds(m.ProbeMs)}, scaled to batch {Draft.Options.BatchSize} at {Draft.Options.Crop}³).")
        : "Step time: not measured for this configuration yet (the probe trains one step of batch 1 at a small crop).";

    private static string Seconds(double ms) => ms >= 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:F1} s")
        : string.Create(CultureInfo.InvariantCulture, $"{ms:F0} ms");

    protected override async Task OnParametersSetAsync()
    {
        var o = Draft.Options;
        var now = string.Create(CultureInfo.InvariantCulture,
            $"{o.Model}|{o.FeatureSize}|{string.Join(",", o.ModelArgs.OrderBy(a => a.Key).Select(a => a.Key + "=" + a.Value))}|{o.Crop}|{o.BatchSize}|{o.Prefetch}|{o.Device}|{Classes}|{Draft.TotalSteps}");
        if (now == key) return;
        key = now;
        await RecomputeAsync();
    }

    private async Task RecomputeAsync()
    {
        var current = key;
        var options = Draft.ToOptions();
        var classes = Classes;
        // Counting parameters builds the network once per configuration: off the circuit's thread.
        var memory = options.Crop is > 0 and <= 1024 && options.BatchSize > 0
            ? await Task.Run(() => RunMemoryAdmission.Estimate(RunMemoryRequest.For(options, classes)))
            : null;
        if (current != key) return; // a newer edit is being estimated
        measurement = Probes.Cached(options, classes);
        estimate = new RunEstimate(memory, Limits.Value.MaxRunMemoryBytes, Memory.AvailableBytes(),
            measurement?.MsPerStep(options.BatchSize, options.Crop), Draft.TotalSteps);
        EstimateChanged?.Invoke(estimate);
    }

    private async Task ProbeAsync()
    {
        probing = true;
        probeError = null;
        try
        {
            await Probes.MeasureAsync(Draft.ToOptions(), Classes);
        }
        catch (Exception e)
        {
            probeError = $"Step-time probe failed: {e.Message.Split('\n')[0]}";
        }
        finally { probing = false; }
        await RecomputeAsync();
    }
}

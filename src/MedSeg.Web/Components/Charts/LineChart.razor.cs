using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace MedSeg.Web.Components.Charts;

/// <summary>
/// Canvas line chart (wwwroot/js/linechart.js) for long training curves: each series is LTTB-downsampled in C#
/// to at most <see cref="MaxPoints"/> before it crosses the wire, drawn faint, with its EMA-smoothed curve on top.
/// Redraws only when the data changed (count, last point, options), so a parent may re-render freely.
/// The canvas carries data-points (points drawn), data-raw-points and data-last-x for tests and curious users.
/// </summary>
public partial class LineChart
{
    public const string ModuleUrl = "/js/linechart.js";

    [Parameter, EditorRequired] public IReadOnlyList<LineSeries> Series { get; set; } = [];
    /// <summary>Points kept per drawn line. Default 1000 (a canvas a few hundred pixels wide shows no more).</summary>
    [Parameter] public int MaxPoints { get; set; } = 1000;
    /// <summary>EMA weight in [0, 1); 0 = raw only. Default 0.6.</summary>
    [Parameter] public double Smoothing { get; set; } = 0.6;
    [Parameter] public string? XLabel { get; set; }
    [Parameter] public string? YLabel { get; set; }
    /// <summary>"number" (steps) or "duration" (seconds shown as m:ss). Default "number".</summary>
    [Parameter] public string XFormat { get; set; } = "number";
    [Parameter] public bool LogY { get; set; }
    [Parameter] public string Height { get; set; } = "260px";
    [Parameter] public string TestId { get; set; } = "line-chart";

    private ElementReference canvas;
    private IJSObjectReference? module;
    private ChartPayload? payload;
    private string? drawnSignature;
    private string? signature;

    /// <summary>The last payload built (what was or will be sent to the browser).</summary>
    internal ChartPayload? Payload => payload;

    private int RawPointCount => Series.Sum(s => s.Count);
    private string LastX => Series.Count == 0 || Series.All(s => s.Count == 0) ? ""
        : Series.Where(s => s.Count > 0).Max(s => s.X[s.Count - 1]).ToString(CultureInfo.InvariantCulture);
    private string AriaLabel => $"{YLabel ?? "value"} against {XLabel ?? "x"}: {Series.Count} series, {RawPointCount} points";

    protected override void OnParametersSet()
    {
        var next = Signature();
        if (next == signature && payload is not null) return;
        signature = next;
        payload = ChartPayload.Build(Series, MaxPoints, Smoothing, XLabel, YLabel, XFormat, LogY);
    }

    private string Signature()
    {
        var c = CultureInfo.InvariantCulture;
        var parts = Series.Select(s => s.Count == 0 ? $"{s.Name}:0"
            : string.Create(c, $"{s.Name}:{s.Count}:{s.X[s.Count - 1]}:{s.Y[s.Count - 1]}:{s.Color}"));
        return string.Create(c, $"{MaxPoints}|{Smoothing}|{XFormat}|{LogY}|{XLabel}|{YLabel}|{string.Join(";", parts)}");
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (payload is null || drawnSignature == signature) return;
        try
        {
            module ??= await JS.InvokeAsync<IJSObjectReference>("import", ModuleUrl);
            await module.InvokeVoidAsync("draw", canvas, payload);
            drawnSignature = signature;
        }
        catch (JSDisconnectedException) { }
        catch (TaskCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        if (module is null) return;
        try
        {
            await module.InvokeVoidAsync("dispose", canvas);
            await module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
        catch (TaskCanceledException) { }
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace MedSeg.Web.Components.Charts;

/// <summary>
/// uPlot line chart (bundle built from src/MedSeg.Web/ClientApp into wwwroot/lib/charts/) for long training curves:
/// each series is LTTB-downsampled in C# to at most <see cref="MaxPoints"/> before it crosses the wire, drawn faint,
/// with its EMA-smoothed curve on top; values under the cursor in the legend; charts sharing a <see cref="SyncKey"/>
/// share the cursor. Redraws only when the data changed (count, last point, options), so a parent may re-render freely.
/// A chart that cannot draw shows why in its box: no exception from it reaches the circuit (one would end the page).
/// The host carries data-points (points sent), data-raw-points, data-last-x and data-drawn for tests and curious users.
/// </summary>
public partial class LineChart
{
    public const string ModuleUrl = "/lib/charts/linechart.js";

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
    /// <summary>Charts with the same key (e.g. one run's loss, lr and validation charts) share the cursor.</summary>
    [Parameter] public string? SyncKey { get; set; }

    [Inject] private ILogger<LineChart> Logger { get; set; } = default!;

    private ElementReference host;
    private string? drawError;
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
        payload = ChartPayload.Build(Series, MaxPoints, Smoothing, XLabel, YLabel, XFormat, LogY, SyncKey);
    }

    private string Signature()
    {
        var c = CultureInfo.InvariantCulture;
        var parts = Series.Select(s => s.Count == 0 ? $"{s.Name}:0"
            : string.Create(c, $"{s.Name}:{s.Count}:{s.X[s.Count - 1]}:{s.Y[s.Count - 1]}:{s.Color}"));
        return string.Create(c, $"{MaxPoints}|{Smoothing}|{XFormat}|{LogY}|{XLabel}|{YLabel}|{SyncKey}|{string.Join(";", parts)}");
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (payload is null || drawnSignature == signature) return;
        var drawing = signature;
        string? failure;
        try
        {
            module ??= await JS.InvokeAsync<IJSObjectReference>("import", ModuleUrl);
            // The module catches its own errors and returns the message it showed (null when drawn).
            failure = await module.InvokeAsync<string?>("draw", host, payload);
        }
        catch (JSDisconnectedException) { return; }
        catch (TaskCanceledException) { return; }
        catch (Exception e) when (e is JSException or InvalidOperationException or System.Text.Json.JsonException)
        {
            // A module that failed to load, or threw anyway: say so in the box and keep the page alive.
            Logger.LogWarning(e, "Chart {TestId} could not be drawn", TestId);
            failure = $"Chart could not be drawn: {e.Message}";
        }
        drawnSignature = drawing;
        if (failure != drawError)
        {
            drawError = failure;
            StateHasChanged();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (module is null) return;
        try
        {
            await module.InvokeVoidAsync("dispose", host);
            await module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
        catch (TaskCanceledException) { }
        catch (JSException) { }
    }
}

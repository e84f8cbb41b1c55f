using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace MedSeg.Viewer;

/// <summary>
/// Three orthogonal slice views (axial, coronal, sagittal) of a NIfTI image with an optional label map
/// overlay, rendered by Cornerstone3D through the medseg-viewer.js module: side by side or one maximised,
/// with slice index, voxel readout under the cursor, window/level presets for the image kind and keyboard shortcuts.
/// </summary>
public partial class SliceViewer : IAsyncDisposable
{
    /// <summary>Where the bundle is served (static web asset of this library); relative to the page's base URI.</summary>
    public const string DefaultModuleUrl = "./_content/MedSeg.Viewer/lib/medseg-viewer/medseg-viewer.js";

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>Image URL (NIfTI, ".nii" or ".nii.gz"). Ignored when <see cref="Volumes"/> is non-empty.</summary>
    [Parameter] public string? ImageUrl { get; set; }

    /// <summary>Label map URL on the same voxel grid as the image, or null. Ignored when <see cref="Volumes"/> is non-empty.</summary>
    [Parameter] public string? LabelUrl { get; set; }

    /// <summary>Label value → class name for the legend; values present but unnamed show as "class N".</summary>
    [Parameter] public IReadOnlyDictionary<int, string>? ClassNames { get; set; }

    /// <summary>Volumes for the picker; when non-empty the selected one is shown.</summary>
    [Parameter] public IReadOnlyList<SliceViewerVolume>? Volumes { get; set; }

    [Parameter] public int SelectedIndex { get; set; }

    [Parameter] public EventCallback<int> SelectedIndexChanged { get; set; }

    /// <summary>Initial label map opacity, 0..1.</summary>
    [Parameter] public double LabelOpacity { get; set; } = 0.5;

    /// <summary>Window/level buttons; null (default) shows the presets of the image kind (see <see cref="ImageKind"/>).</summary>
    [Parameter] public IReadOnlyList<WindowLevelPreset>? Presets { get; set; }

    /// <summary>Picks the presets and the window applied after each load; <see cref="ViewerImageKind.Auto"/> detects it.</summary>
    [Parameter] public ViewerImageKind ImageKind { get; set; } = ViewerImageKind.Auto;

    /// <summary>
    /// The caller's legend (names and "#rrggbb" colours per label value; an empty colour takes the palette's). It is shown
    /// before the label map loads, colours the overlay, and takes precedence over <see cref="ClassNames"/>.
    /// </summary>
    [Parameter] public IReadOnlyList<LegendEntry>? Legend { get; set; }

    /// <summary>A heading before the legend, e.g. "Fusion α".</summary>
    [Parameter] public string? LegendTitle { get; set; }

    /// <summary>The layout when the viewer starts (the user can switch it).</summary>
    [Parameter] public ViewerLayout Layout { get; set; } = ViewerLayout.ThreeViews;

    /// <summary>The plane the one-view layout shows at the start.</summary>
    [Parameter] public ViewerPlane Plane { get; set; } = ViewerPlane.Axial;

    [Parameter] public string ModuleUrl { get; set; } = DefaultModuleUrl;

    /// <summary>Raised with a readable message when loading or rendering fails (the message is also shown).</summary>
    [Parameter] public EventCallback<string> OnError { get; set; }

    [Parameter] public EventCallback<ViewerLoadResult> OnLoaded { get; set; }

    private ElementReference _viewportHost;
    private IJSObjectReference? _module;
    private IJSObjectReference? _viewer;
    private DotNetObjectReference<SliceViewer>? _self;
    private ViewerLayout _layout;
    private ViewerPlane _plane;
    private string? _kind;
    private string? _preset;
    private IReadOnlyList<WindowLevelPreset> _kindPresets = [];
    private (string? Image, string? Label)? _requested;
    private IReadOnlyList<LegendEntry> _legend = [];
    private string? _error;
    private bool _loading;
    private bool _loaded;
    private bool _hasLabel;
    private bool _disposed;
    private int _selectedIndex;
    private int? _lastSelectedIndexParameter;
    private double _opacity;
    private double? _lastOpacityParameter;

    protected override void OnInitialized()
    {
        _layout = Layout;
        _plane = Plane;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_lastSelectedIndexParameter != SelectedIndex)
        {
            _lastSelectedIndexParameter = SelectedIndex;
            _selectedIndex = SelectedIndex;
        }
        if (_lastOpacityParameter != LabelOpacity)
        {
            _lastOpacityParameter = LabelOpacity;
            _opacity = Math.Clamp(LabelOpacity, 0, 1);
            if (_viewer is not null && _hasLabel)
            {
                await CallViewerAsync("setLabelOpacity", _opacity);
            }
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            try
            {
                _self = DotNetObjectReference.Create(this);
                _module = await JS.InvokeAsync<IJSObjectReference>("import", ModuleUrl);
                // Disposed while the browser answered (the page replaced the viewer, e.g. a dataset that just completed):
                // _self is gone, and what arrived late is released here, since DisposeAsync did not see it.
                if (_disposed) { await ReleaseScriptsAsync(); return; }
                _viewer = await _module.InvokeAsync<IJSObjectReference>("createViewer", _viewportHost,
                    new { labelOpacity = _opacity, layout = _layout.ToJs(), plane = _plane.ToJs(), dotnet = _self });
                if (_disposed) { await ReleaseScriptsAsync(); return; }
                if (_legend.Count == 0 && (Legend is { Count: > 0 } || ClassNames is { Count: > 0 }))
                {
                    _legend = await _module.InvokeAsync<IReadOnlyList<LegendEntry>?>("describeLegend", ClassNames, Legend) ?? [];
                    StateHasChanged();
                }
            }
            catch (JSException ex)
            {
                await ReportErrorAsync($"The slice viewer could not start: {FirstLine(ex.Message)}");
                StateHasChanged();
                return;
            }
        }
        await LoadIfChangedAsync();
    }

    private (string? Image, string? Label) CurrentSource()
    {
        if (Volumes is { Count: > 0 })
        {
            var volume = Volumes[Math.Clamp(_selectedIndex, 0, Volumes.Count - 1)];
            return (volume.ImageUrl, volume.LabelUrl);
        }
        return (ImageUrl, LabelUrl);
    }

    private async Task LoadIfChangedAsync()
    {
        var wanted = CurrentSource();
        if (_viewer is null || _disposed || string.IsNullOrEmpty(wanted.Image) || _requested == wanted)
        {
            return;
        }
        _requested = wanted;
        _loading = true;
        _error = null;
        StateHasChanged();
        try
        {
            var result = await _viewer.InvokeAsync<ViewerLoadResult?>("loadVolume", wanted.Image,
                string.IsNullOrEmpty(wanted.Label) ? null : wanted.Label, ClassNames,
                new { kind = ImageKind.ToJs(), legend = Legend ?? [] });
            if (result is null || _requested != wanted)
            {
                return; // overtaken by a newer request
            }
            _legend = result.Legend;
            _kind = result.Kind;
            _kindPresets = result.Presets;
            _preset = result.Preset;
            _loaded = true;
            _hasLabel = !string.IsNullOrEmpty(wanted.Label);
            await OnLoaded.InvokeAsync(result);
        }
        catch (JSException ex)
        {
            if (_requested == wanted)
            {
                _legend = [];
                await ReportErrorAsync(FirstLine(ex.Message));
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; nothing to show.
        }
        finally
        {
            if (_requested == wanted && !_disposed)
            {
                _loading = false;
                StateHasChanged();
            }
        }
    }

    private async Task OnVolumePickedAsync(ChangeEventArgs e)
    {
        if (!int.TryParse(e.Value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
        {
            return;
        }
        _selectedIndex = index;
        await SelectedIndexChanged.InvokeAsync(index);
    }

    private async Task OnOpacityInputAsync(ChangeEventArgs e)
    {
        if (double.TryParse(e.Value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            _opacity = Math.Clamp(value, 0, 1);
            await CallViewerAsync("setLabelOpacity", _opacity);
        }
    }

    private async Task ApplyPresetAsync(string key)
    {
        _preset = key;
        await CallViewerAsync("applyPreset", key);
    }

    private async Task SetLayoutAsync(ViewerLayout layout, ViewerPlane plane)
    {
        _layout = layout;
        _plane = plane;
        await CallViewerAsync("setLayout", layout.ToJs(), plane.ToJs());
    }

    /// <summary>The JS viewer's layout changed (toolbar, a view's maximise button or a double-click).</summary>
    [JSInvokable]
    public Task OnViewerLayoutChanged(string layout, string plane)
    {
        _layout = ViewerLayoutNames.LayoutFromJs(layout);
        _plane = ViewerLayoutNames.PlaneFromJs(plane);
        return _disposed ? Task.CompletedTask : InvokeAsync(StateHasChanged);
    }

    private IReadOnlyList<WindowLevelPreset> ShownPresets => Presets ?? (_kindPresets.Count > 0 ? _kindPresets : WindowLevelPreset.Defaults);

    private string State => _error is not null ? "error" : _loading ? "loading" : _loaded ? "loaded" : "starting";

    private string PresetLabel(string? key) => ShownPresets.FirstOrDefault(p => p.Key == key)?.Label ?? key ?? "";

    private static string KindLabel(string? kind) => kind switch
    {
        "ct" => "CT (HU)",
        "synthetic" => "synthetic",
        "fused" => "fused / z-scored float",
        _ => "other",
    };

    /// <summary>The help tooltip: mouse and keyboard (the keys are those of ClientApp/src/keyboardShortcuts.js).</summary>
    public const string HelpText =
        "Mouse: left drag = window/level · Shift + left drag = crosshairs · wheel = slices · right drag = zoom · " +
        "middle drag = pan · double-click or ⤢ = maximise / restore a view · drag the bottom edge to resize. " +
        "Keys (with the mouse over a view): ↑ / PageUp = next slice · ↓ / PageDown = previous slice · o = show / hide the label overlay · " +
        "r = reset zoom, pan, slices and window.";

    private async Task CallViewerAsync(string method, params object?[] args)
    {
        if (_viewer is null || _disposed)
        {
            return;
        }
        try
        {
            await _viewer.InvokeVoidAsync(method, args);
        }
        catch (JSException ex)
        {
            await ReportErrorAsync(FirstLine(ex.Message));
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private async Task ReportErrorAsync(string message)
    {
        _error = message;
        await OnError.InvokeAsync(message);
    }

    /// <summary>JS errors arrive as "message\n  at stack…": the first line is the part for people.</summary>
    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n');
        return (end < 0 ? message : message[..end]).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await ReleaseScriptsAsync();
        _self?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the browser-side viewer and the module, once each (also when they arrive after DisposeAsync).</summary>
    private async Task ReleaseScriptsAsync()
    {
        var (viewer, module) = (_viewer, _module);
        (_viewer, _module) = (null, null);
        try
        {
            if (viewer is not null)
            {
                await viewer.InvokeVoidAsync("dispose");
                await viewer.DisposeAsync();
            }
            if (module is not null)
            {
                await module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // Circuit already closed: the browser side went away with the page.
        }
        catch (JSException)
        {
            // Disposal is best effort; the page may already have torn the element down.
        }
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace MedSeg.Viewer;

/// <summary>
/// Three orthogonal slice views (axial, coronal, sagittal) of a NIfTI image with an optional label map
/// overlay, rendered by Cornerstone3D through the medseg-viewer.js module.
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

    [Parameter] public IReadOnlyList<WindowLevelPreset> Presets { get; set; } = WindowLevelPreset.Defaults;

    [Parameter] public string ModuleUrl { get; set; } = DefaultModuleUrl;

    /// <summary>Raised with a readable message when loading or rendering fails (the message is also shown).</summary>
    [Parameter] public EventCallback<string> OnError { get; set; }

    [Parameter] public EventCallback<ViewerLoadResult> OnLoaded { get; set; }

    private ElementReference _viewportHost;
    private IJSObjectReference? _module;
    private IJSObjectReference? _viewer;
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
                _module = await JS.InvokeAsync<IJSObjectReference>("import", ModuleUrl);
                _viewer = await _module.InvokeAsync<IJSObjectReference>("createViewer", _viewportHost,
                    new { labelOpacity = _opacity });
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
                string.IsNullOrEmpty(wanted.Label) ? null : wanted.Label, ClassNames);
            if (result is null || _requested != wanted)
            {
                return; // overtaken by a newer request
            }
            _legend = result.Legend;
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

    private Task ApplyPresetAsync(string key) => CallViewerAsync("applyPreset", key);

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
        try
        {
            if (_viewer is not null)
            {
                await _viewer.InvokeVoidAsync("dispose");
                await _viewer.DisposeAsync();
            }
            if (_module is not null)
            {
                await _module.DisposeAsync();
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
        GC.SuppressFinalize(this);
    }
}

using MedSeg.Core.Generators.AvsDb;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MedSeg.Web.Features.Datasets.Components;

/// <summary>What the create form hands to its owner on submit (spec already validated).</summary>
public sealed record DatasetCreateRequest(string Name, int Count, long Seed, AvsDbSpec Spec);

/// <summary>
/// Edits a full <see cref="AvsDbSpec"/> plus name, volume count and seed. Shows <see cref="AvsDbSpec.Validate"/>'s
/// messages as they arise and a debounced server-rendered preview of volume 0's mid slices.
/// </summary>
public partial class DatasetCreateForm : IDisposable
{
    [Inject] private SlicePreviewRenderer PreviewRenderer { get; set; } = default!;

    /// <summary>Called with the validated request when the user presses Generate. Required.</summary>
    [Parameter, EditorRequired] public EventCallback<DatasetCreateRequest> OnSubmit { get; set; }

    /// <summary>Largest volume count accepted. Default 10000.</summary>
    [Parameter] public int MaxVolumeCount { get; set; } = 10_000;

    /// <summary>This server's measured generation rate (null: no finished dataset yet; the estimate says so).</summary>
    [Parameter] public GenerationRate? Rate { get; set; }

    /// <summary>Free bytes on the data disk, when known: a dataset estimated larger asks for a confirmation.</summary>
    [Parameter] public long? FreeBytes { get; set; }

    private bool confirmedBig;

    internal GenerationEstimate Estimate => GenerationEstimate.For(Count, Spec.VolumeSize, Rate, FreeBytes);

    /// <summary>Names already used in the lab (checked as the user types). Default none.</summary>
    [Parameter] public IReadOnlySet<string> TakenNames { get; set; } = new HashSet<string>();

    /// <summary>Wait after the last edit before rendering a preview. Default 400 ms.</summary>
    [Parameter] public TimeSpan PreviewDebounce { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Render a preview at all (tests of validation alone turn it off). Default true.</summary>
    [Parameter] public bool ShowPreview { get; set; } = true;

    internal string Name { get; set; } = "";
    internal int Count { get; set; } = 100;
    internal long Seed { get; set; } = 42;
    internal AvsDbSpecForm Spec { get; private set; } = AvsDbSpecForm.From(AvsDbSpec.PaperBest(64));
    internal IReadOnlyList<string> SpecErrors { get; private set; } = [];

    private MudForm? form;
    private bool fieldsValid;
    private bool submitting;
    private SlicePreview? preview;
    private string? previewError;
    private bool previewLoading;
    private CancellationTokenSource? previewCts;
    private readonly CancellationTokenSource disposed = new();

    // Fields whose text is not an accepted number (NumberField keeps the model at its last valid value meanwhile).
    private readonly Dictionary<string, string> fieldErrors = [];

    private bool CanSubmit => SpecErrors.Count == 0 && fieldErrors.Count == 0 && ValidateName(Name) is null && ValidateCount(Count) is null
        && (!Estimate.NeedsConfirmation || confirmedBig);

    private void FieldError(string field, string? message)
    {
        if (message is null) fieldErrors.Remove(field);
        else fieldErrors[field] = message;
    }

    private string ClassSummary
    {
        get
        {
            var (spec, parse) = Spec.ToSpec();
            return parse.Count == 0 && spec.Validate().Count == 0
                ? $"{spec.ClassCount} classes, {spec.VolumeSize}³ voxels" + (spec.VolumeSize > SlicePreviewRenderer.MaxPreviewSize ? $" (preview at {SlicePreviewRenderer.MaxPreviewSize}³)" : "")
                : "";
        }
    }

    protected override void OnInitialized()
    {
        SpecErrors = Spec.Validate();
        if (ShowPreview) SchedulePreview(TimeSpan.Zero);
    }

    internal string? ValidateName(string name) =>
        string.IsNullOrWhiteSpace(name) ? "Name is required"
        : name.Trim().Length > 200 ? "Name must be at most 200 characters"
        : TakenNames.Contains(name.Trim()) ? $"A dataset named '{name.Trim()}' already exists"
        : null;

    internal string? ValidateCount(int count) =>
        count < 1 || count > MaxVolumeCount ? $"Volumes must be in 1..{MaxVolumeCount}, got {count}" : null;

    /// <summary>Re-validates now (cheap) and re-renders the preview after the debounce.</summary>
    internal void OnSpecChanged()
    {
        SpecErrors = Spec.Validate();
        if (ShowPreview) SchedulePreview(PreviewDebounce);
    }

    private void ApplyPreset(string name)
    {
        var size = Spec.VolumeSize is >= 8 and <= 1024 ? Spec.VolumeSize : 64;
        Spec = AvsDbSpecForm.From(AvsDbSpec.Preset(name, size));
        OnSpecChanged();
    }

    private void AddZClass()
    {
        var used = Spec.ZClasses.Select(z => z.Rule).ToHashSet();
        var rule = Enum.GetValues<ZRule>().FirstOrDefault(r => !used.Contains(r));
        Spec.ZClasses.Add(ZClassForm.From(new ZClassSpec { Rule = rule }));
        OnSpecChanged();
    }

    private void RemoveZClass(ZClassForm z)
    {
        Spec.ZClasses.Remove(z);
        OnSpecChanged();
    }

    private void SchedulePreview(TimeSpan delay)
    {
        previewCts?.Cancel();
        if (SpecErrors.Count > 0) return;
        var cts = CancellationTokenSource.CreateLinkedTokenSource(disposed.Token);
        previewCts = cts;
        var (spec, _) = Spec.ToSpec();
        var seed = unchecked((ulong)Seed);
        _ = RenderPreviewAsync(spec, seed, delay, cts.Token);
    }

    private async Task RenderPreviewAsync(AvsDbSpec spec, ulong seed, TimeSpan delay, CancellationToken ct)
    {
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, ct);
            previewLoading = true;
            await InvokeAsync(StateHasChanged);
            // Generation is CPU work: keep it off the circuit's dispatcher.
            var result = await Task.Run(() => PreviewRenderer.Render(spec, seed, 0, ct), ct);
            ct.ThrowIfCancellationRequested();
            preview = result;
            previewError = null;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception ex)
        {
            previewError = $"Preview failed: {ex.Message}";
        }
        previewLoading = false;
        await InvokeAsync(StateHasChanged);
    }

    private async Task SubmitAsync()
    {
        if (form is not null) await form.ValidateAsync();
        SpecErrors = Spec.Validate();
        if (!CanSubmit) return;
        submitting = true;
        try
        {
            var (spec, _) = Spec.ToSpec();
            await OnSubmit.InvokeAsync(new DatasetCreateRequest(Name.Trim(), Count, Seed, spec));
        }
        finally
        {
            submitting = false;
        }
    }

    public void Dispose()
    {
        disposed.Cancel();
        previewCts?.Cancel();
    }
}

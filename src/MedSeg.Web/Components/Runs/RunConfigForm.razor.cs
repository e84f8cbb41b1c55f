using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MedSeg.Web.Components.Runs;

/// <summary>A dataset the form offers for <see cref="RunMethod.FdslDataset"/>.</summary>
public sealed record DatasetChoice(int Id, string Name);

public partial class RunConfigForm
{
    /// <summary>The settings edited in place (a clone passes an earlier run's). Default: the paper's recipe.</summary>
    [Parameter] public RunDraft Model { get; set; } = new();

    /// <summary>Datasets offered for training on a dataset folder.</summary>
    [Parameter] public IReadOnlyList<DatasetChoice> Datasets { get; set; } = [];

    /// <summary>Called with the validated settings when the user presses Start. Required.</summary>
    [Parameter, EditorRequired] public EventCallback<RunDraft> OnSubmit { get; set; }

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    private MudForm? form;
    private bool submitting;
    private RunDraft? validated;

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(validated, Model)) { validated = Model; Errors = Model.Validate(); }
    }

    private void Changed() => Errors = Model.Validate();

    private async Task SubmitAsync()
    {
        Errors = Model.Validate();
        if (Errors.Count > 0) return;
        submitting = true;
        try { await OnSubmit.InvokeAsync(Model); }
        finally { submitting = false; }
    }
}

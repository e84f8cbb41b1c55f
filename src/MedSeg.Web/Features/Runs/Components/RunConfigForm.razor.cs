using MedSeg.Data.Entities;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace MedSeg.Web.Features.Runs.Components;

/// <summary>A dataset the form offers for <see cref="RunMethod.FdslDataset"/>; <paramref name="Volumes"/> 0 = unknown; <paramref name="Classes"/> incl. background, 0 = unknown.</summary>
public sealed record DatasetChoice(int Id, string Name, int Volumes = 0, int Classes = 0);

public partial class RunConfigForm
{
    /// <summary>The settings edited in place (a clone passes an earlier run's). Default: the paper's recipe.</summary>
    [Parameter] public RunDraft Model { get; set; } = new();

    /// <summary>Datasets offered for training on a dataset folder.</summary>
    [Parameter] public IReadOnlyList<DatasetChoice> Datasets { get; set; } = [];

    /// <summary>Called with the validated settings when the user presses Start. Required.</summary>
    [Parameter, EditorRequired] public EventCallback<RunDraft> OnSubmit { get; set; }

    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private IOptions<LimitsOptions> Limits { get; set; } = default!;

    /// <summary>Upper bounds of the number fields: the options record's and the server's limits, whichever is lower.</summary>
    private RunFieldBounds Bounds => RunFieldBounds.From(Limits.Value);

    // Number fields whose text is not an accepted number (NumberField keeps the model at its last valid value meanwhile).
    private readonly Dictionary<string, string> fieldErrors = [];

    /// <summary>The number fields' messages (label, value, allowed range); Start stays disabled while there is one.</summary>
    internal IReadOnlyCollection<string> FieldErrors => fieldErrors.Values;

    private void FieldError(string field, string? message)
    {
        if (message is null) fieldErrors.Remove(field);
        else fieldErrors[field] = message;
    }

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    [Inject] private IOptions<TrainingOptions> Training { get; set; } = default!;
    [Inject] private IOptions<SlurmOptions> Slurm { get; set; } = default!;

    /// <summary>The "Where to run" section: when the portal sends runs to Slurm by default, or offers the cluster (Slurm:Offered).</summary>
    private bool ClusterOffered => Slurm.Value.Offered || RunBackends.Parse(Training.Value.Backend) == RunBackends.Slurm || Model.Backend == RunBackends.Slurm;
    /// <summary>The estimate panel's latest figures (null until the first is computed).</summary>
    internal RunEstimate? Estimate { get; private set; }

    /// <summary>Output classes incl. background of the chosen data (paper-best's 17 when unknown).</summary>
    private int Classes
    {
        get
        {
            if (Model.Method == RunMethod.FdslDataset)
                return Datasets.FirstOrDefault(d => d.Id == Model.DatasetId) is { Classes: > 0 } d ? d.Classes : AvsDbSpec.PaperBest(64).ClassCount + 1;
            try { return Model.Spec().ClassCount + 1; }
            catch (AvsDbSpecException) { return AvsDbSpec.PaperBest(64).ClassCount + 1; }
        }
    }

    private MudForm? form;
    private bool submitting;
    private RunDraft? validated;

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(validated, Model)) { validated = Model; Errors = Validate(); }
    }

    private void Changed() => Errors = Validate();

    private void OnEstimateChanged(RunEstimate estimate)
    {
        var wasOver = Estimate?.OverLimit ?? false;
        Estimate = estimate;
        if (wasOver == estimate.OverLimit) return;
        Errors = Validate();
        StateHasChanged();
    }

    /// <summary>The model's own problems, and those that need the chosen dataset (its size).</summary>
    private IReadOnlyList<string> Validate()
    {
        var errors = Model.Validate().ToList();
        if (Model.Cluster is { } cluster) errors.AddRange(cluster.Problems(Slurm.Value));
        // The trainer holds validation samples out of the dataset only when more volumes remain for training; with
        // fewer it silently trained without validation (issue 12: 500 validation samples on a 16-volume dataset).
        if (Model.Method == RunMethod.FdslDataset && Model.Options.ValidationEvery > 0
            && Datasets.FirstOrDefault(d => d.Id == Model.DatasetId) is { Volumes: > 0 } chosen && Model.Options.ValidationSamples >= chosen.Volumes)
            errors.Add($"Validation samples ({Model.Options.ValidationSamples}) must be fewer than the {chosen.Volumes} volumes of dataset '{chosen.Name}': " +
                       "they are held out of it for validation. Lower it, or set Validate every to 0.");
        // The server refuses a run above its memory limit (RunMemoryAdmission): say so before Start, not after.
        if (Estimate is { OverLimit: true, Memory: { } memory })
            errors.Add(RunMemoryAdmission.Refusal(memory, Estimate.LimitBytes, $"Batch size ({Model.Options.BatchSize}) or Crop ({Model.Options.Crop})"));
        return errors;
    }

    private async Task SubmitAsync()
    {
        Errors = Validate();
        if (Errors.Count > 0 || fieldErrors.Count > 0) return;
        // Over a day, or more memory than the server has available now: ask before queuing.
        if (Estimate is { NeedsConfirmation: true } e
            && await Dialogs.ShowMessageBoxAsync("Queue this run?", e.ConfirmationText, yesText: "Queue anyway", cancelText: "Cancel") != true)
            return;
        submitting = true;
        try { await OnSubmit.InvokeAsync(Model); }
        finally { submitting = false; }
    }
}

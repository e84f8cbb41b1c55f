using MedSeg.Data.Entities;
using MedSeg.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace MedSeg.Web.Features.Runs.Components;

/// <summary>A dataset the form offers for <see cref="RunMethod.FdslDataset"/>; <paramref name="Volumes"/> 0 = unknown.</summary>
public sealed record DatasetChoice(int Id, string Name, int Volumes = 0);

public partial class RunConfigForm
{
    /// <summary>The settings edited in place (a clone passes an earlier run's). Default: the paper's recipe.</summary>
    [Parameter] public RunDraft Model { get; set; } = new();

    /// <summary>Datasets offered for training on a dataset folder.</summary>
    [Parameter] public IReadOnlyList<DatasetChoice> Datasets { get; set; } = [];

    /// <summary>Called with the validated settings when the user presses Start. Required.</summary>
    [Parameter, EditorRequired] public EventCallback<RunDraft> OnSubmit { get; set; }

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    [Inject] private IOptions<TrainingOptions> Training { get; set; } = default!;
    [Inject] private IOptions<SlurmOptions> Slurm { get; set; } = default!;

    /// <summary>The "Where to run" section: when the portal sends runs to Slurm by default, or offers the cluster (Slurm:Offered).</summary>
    private bool ClusterOffered => Slurm.Value.Offered || RunBackends.Parse(Training.Value.Backend) == RunBackends.Slurm || Model.Backend == RunBackends.Slurm;

    private MudForm? form;
    private bool submitting;
    private RunDraft? validated;

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(validated, Model)) { validated = Model; Errors = Validate(); }
    }

    private void Changed() => Errors = Validate();

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
        return errors;
    }

    private async Task SubmitAsync()
    {
        Errors = Validate();
        if (Errors.Count > 0) return;
        submitting = true;
        try { await OnSubmit.InvokeAsync(Model); }
        finally { submitting = false; }
    }
}

using MedSeg.Core.Generators.AvsDb;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Features.Runs.Components;
using MedSeg.Web.Features.Runs.Components.Methods;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Runs.Pages;

/// <summary>Configures and queues a run; <c>?clone=N</c> starts from run N's settings and data.</summary>
public partial class RunCreate
{
    [Inject] private TrainingRunService Runs { get; set; } = default!;
    [Inject] private DatasetService DatasetService { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject] private Training.Methods.MethodCatalog Catalog { get; set; } = default!;
    [Inject] private DownstreamDatasets Downstream { get; set; } = default!;
    [Inject] private DataPaths Paths { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "clone")] public int? CloneId { get; set; }
    /// <summary>A catalogue method to start with (e.g. <c>?method=volf</c>); absent: FDSL.</summary>
    [SupplyParameterFromQuery(Name = "method")] public string? MethodQuery { get; set; }

    private const string FdslChoice = "fdsl";
    private string methodName = FdslChoice;
    private MethodDraft? methodDraft;
    /// <summary>What a catalogue method can read: the lab's completed datasets, downstream datasets and unlabelled NIfTI folders.</summary>
    private IReadOnlyList<(string Value, string Text)> sources = [];

    private RunDraft? model;
    private TrainingRun? cloneOf;
    private IReadOnlyList<DatasetChoice> datasets = [];
    private IReadOnlyList<string> serverErrors = [];
    private PortalUser? user;

    protected override async Task OnInitializedAsync()
    {
        user = PortalUser.From((await AuthenticationState).User);
        try
        {
            var completed = (await DatasetService.ListAsync(user)).Where(d => d.Status == DatasetStatus.Completed).ToList();
            datasets = completed.Where(d => d.Kind == DatasetKinds.AvsDb)
                .Select(d => new DatasetChoice(d.Id, d.Name, d.VolumeCountDone, TrainingConfig.ClassCount(d.SpecJson) ?? 0)).ToList();
            sources =
            [
                .. Downstream.List(user.LabId).Select(p => (p, $"downstream dataset {Path.GetFileName(p)}")),
                .. new UnlabelledFolders(Paths).List(user.LabId).Select(p => (p, $"unlabelled folder {Path.GetFileName(p)} (NIfTI images)")),
                .. completed.Select(d => ($"{MethodDraft.DatasetPrefix}{d.Id}", $"dataset {d.Id} “{d.Name}” ({d.Kind}, {d.VolumeCountDone} volumes)")),
            ];
            if (CloneId is int id)
            {
                cloneOf = await Runs.FindAsync(user, id);
                if (cloneOf is null) Snackbar.Add($"Run {id} does not exist; starting from the defaults.", Severity.Warning);
            }
            model = cloneOf is null || MethodRunConfig.IsCatalogueMethod(cloneOf.Method) ? new RunDraft() : FromRun(cloneOf);
            if (cloneOf is not null && Catalog.TryGet(cloneOf.Method, out var cloned) && MethodRunConfig.IsCatalogueMethod(cloned.Name))
            {
                methodName = cloned.Name;
                methodDraft = MethodDraft.FromRun(cloned, cloneOf);
            }
            else if (cloneOf is null && MethodQuery is { } query) ChooseMethod(query);
        }
        catch (Exception ex)
        {
            Snackbar.Add($"Could not prepare the form: {ex.Message}", Severity.Error);
            model ??= new RunDraft();
        }
    }

    /// <summary>The form filled with an earlier run's options (every field, shown or not), data and tags.</summary>
    internal static RunDraft FromRun(TrainingRun run)
    {
        var options = TrainingConfig.Read(run.ConfigJson);
        var m = options is null ? new RunDraft() : RunDraft.From(options);
        m.Name = $"{run.Name} (clone)";
        m.Tags = run.Tags ?? "";
        if (run.DatasetId is int datasetId)
        {
            m.Method = RunMethod.FdslDataset;
            m.DatasetId = datasetId;
        }
        else if (run.SpecJson is not null)
        {
            m.Method = RunMethod.FdslOnTheFly;
            m.ClonedSpecJson = run.SpecJson;
            m.SpecPreset = RunDraft.ClonedSpec;
            try { m.SpecVolumeSize = m.Spec().VolumeSize; } // shown (read-only) beside the preset
            catch (AvsDbSpecException) { } // Validate reports the crop check against size 0
        }
        // A clone runs where the original ran, with the same cluster request.
        m.Backend = run.Backend;
        var cluster = Cluster.ClusterRequest.FromJson(run.ClusterRequestJson);
        (m.ClusterPartition, m.ClusterGpus, m.ClusterCpus, m.ClusterTimeLimitMinutes) = (cluster.Partition, cluster.Gpus, cluster.Cpus, cluster.TimeLimitMinutes);
        return m;
    }

    internal static TrainingRunRequest ToRequest(RunDraft m) => new(
        m.Name.Trim(),
        TrainingConfig.Serialize(m.ToOptions()),
        m.Method == RunMethod.FdslDataset ? m.DatasetId : null,
        m.Method == RunMethod.FdslOnTheFly ? m.Spec().ToJson() : null,
        m.TagList().Count == 0 ? null : string.Join(", ", m.TagList()),
        Backend: m.Backend,
        Cluster: m.Cluster);

    /// <summary>FDSL shows the FDSL form; any other method a fresh draft of its options (defaults from its record).</summary>
    private void ChooseMethod(string name)
    {
        methodName = name;
        methodDraft = name != FdslChoice && Catalog.TryGet(name, out var method) && MethodRunConfig.IsCatalogueMethod(name)
            ? new MethodDraft(method) { Source = sources.FirstOrDefault().Value ?? "" }
            : null;
        if (methodDraft is null) methodName = FdslChoice;
        serverErrors = [];
    }

    private async Task SubmitMethodAsync(MethodDraft draft)
    {
        var (run, errors) = await Runs.TryCreateAsync(user!, draft.ToRequest());
        serverErrors = errors;
        if (run is null) return;
        Snackbar.Add($"Queued run {run.Id} “{run.Name}”.", Severity.Success);
        Navigation.NavigateTo($"runs/{run.Id}");
    }

    private async Task SubmitAsync(RunDraft m)
    {
        try
        {
            var request = ToRequest(m);
            serverErrors = await Runs.ValidateAsync(user!, request);
            if (serverErrors.Count > 0) return;
            var run = await Runs.CreateAsync(user!, request);
            Snackbar.Add($"Queued run {run.Id} “{run.Name}”.", Severity.Success);
            Navigation.NavigateTo($"runs/{run.Id}");
        }
        catch (ArgumentException ex)
        {
            serverErrors = [ex.Message];
        }
        catch (AvsDbSpecException ex)
        {
            serverErrors = [ex.Message];
        }
    }
}

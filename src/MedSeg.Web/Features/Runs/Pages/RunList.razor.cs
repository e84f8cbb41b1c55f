using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MedSeg.Web.Components;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Runs.Pages;

/// <summary>All runs of the lab: sortable, filterable grid with column choice, selection for comparison, CSV export; live progress.</summary>
public partial class RunList
{
    [Inject] private TrainingRunService Runs { get; set; } = default!;
    [Inject] private MedSeg.Training.Methods.MethodCatalog Catalog { get; set; } = default!;
    [Inject] private RunProgressPublisher Publisher { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private Microsoft.JSInterop.IJSRuntime JS { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private List<TrainingRun> runs = [];
    private HashSet<TrainingRun> selected = [];
    private bool loading = true;
    private string search = "";
    private PortalUser? user;
    private IDisposable? subscription;
    private RenderThrottle? throttle;

    private MudDataGrid<TrainingRun>? grid;

    private string CompareHref => $"runs/compare?ids={string.Join(",", selected.Select(r => r.Id).Order())}";
    private string ExportLabel => selected.Count > 0 ? $"Export CSV ({selected.Count} selected)" : "Export CSV";

    /// <summary>What the export holds: the selected runs if any, else every run the grid's search and column filters let through, in grid order.</summary>
    internal IReadOnlyList<TrainingRun> ExportRows()
    {
        var shown = (grid?.FilteredItems ?? runs.Where(QuickFilter)).ToList();
        return selected.Count == 0 ? shown : [.. shown.Where(selected.Contains), .. selected.Where(r => !shown.Contains(r)).OrderBy(r => r.Id)];
    }

    private async Task ExportAsync()
    {
        try { await FileDownload.SaveTextAsync(JS, "runs.csv", "text/csv", RunCsv.Write(ExportRows())); }
        catch (Exception ex) { Snackbar.Add($"Export failed: {ex.Message}", Severity.Error); }
    }

    private bool QuickFilter(TrainingRun r) =>
        string.IsNullOrWhiteSpace(search)
        || r.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
        || (r.Tags?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false)
        || r.ModelName.Contains(search, StringComparison.OrdinalIgnoreCase)
        || r.Status.ToString().Contains(search, StringComparison.OrdinalIgnoreCase)
        || (r.Owner?.Email?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false);

    protected override async Task OnInitializedAsync()
    {
        user = PortalUser.From((await AuthenticationState).User);
        throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged));
        subscription = Publisher.SubscribeAll(OnProgress);
        try { runs = await Runs.ListAsync(user); }
        catch (Exception ex) { Snackbar.Add($"Could not load runs: {ex.Message}", Severity.Error); }
        loading = false;
    }

    private void OnSelectionChanged(HashSet<TrainingRun> items) => selected = items;

    private Task OnProgress(RunProgressMessage m) => InvokeAsync(async () =>
    {
        try
        {
            var row = runs.FirstOrDefault(r => r.Id == m.RunId);
            if (row is null || row.Status != m.Status)
            {
                // New run or a status change: reload (rare) so finish times and scores are right.
                if (user is not null) runs = await Runs.ListAsync(user);
                selected = runs.Where(r => selected.Any(s => s.Id == r.Id)).ToHashSet();
            }
            else
            {
                row.CurrentStep = Math.Max(row.CurrentStep, m.ToStep);
                row.TotalSteps = m.TotalSteps;
                if (m.Points.Count > 0) row.LastLoss = m.Points[^1].Loss;
            }
            _ = throttle?.RequestAsync();
        }
        catch (Exception ex) { await DispatchExceptionAsync(ex); }
    });

    public void Dispose()
    {
        subscription?.Dispose();
        throttle?.Dispose();
    }
}

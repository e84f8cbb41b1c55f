using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MedSeg.Web.Components;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs.Pages;

/// <summary>All runs of the lab: sortable, filterable grid with column choice, selection for comparison, CSV export; live progress.</summary>
public partial class RunList
{
    [Inject] private MedSeg.Web.Features.Lists.PagedLists Lists { get; set; } = default!;
    [Inject] private MedSeg.Training.Methods.MethodCatalog Catalog { get; set; } = default!;
    [Inject] private RunProgressFeed Feed { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private Microsoft.JSInterop.IJSRuntime JS { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>Rows are the same run when their ids are: a selection survives paging and reloads.</summary>
    private static readonly IEqualityComparer<TrainingRun> SameRun = EqualityComparer<TrainingRun>.Create((a, b) => a?.Id == b?.Id, r => r.Id);

    /// <summary>Grid columns (property names) → the sort keys of <see cref="MedSeg.Web.Features.Lists.PagedLists.RunSortKeys"/>.</summary>
    private static readonly Dictionary<string, string> SortKeys = new()
    {
        ["Id"] = "id", ["Name"] = "name", ["Status"] = "status", ["Method"] = "method", ["ModelName"] = "model",
        ["CreatedAt"] = "created", ["BestValDice"] = "best_val_dice", ["LastLoss"] = "last_loss",
    };

    private const int FirstPageSize = 10;

    /// <summary>
    /// The first page as the prerender read it, shown until the real grid has loaded its own: the rows are on screen
    /// before the circuit starts, and the interactive render takes them from the prerender (no empty flash).
    /// </summary>
    [PersistentState] public string? FirstPageJson { get; set; }

    private MedSeg.Web.Features.Lists.ListPage<TrainingRun>? firstPage;

    private List<TrainingRun> runs = []; // the page on screen
    private HashSet<TrainingRun> selected = new(SameRun);
    private string search = "";
    private MedSeg.Web.Features.Lists.ListQuery lastQuery = new();
    private PortalUser? user;
    private IDisposable? subscription;
    private RenderThrottle? throttle;

    private MudDataGrid<TrainingRun>? grid;

    private string CompareHref => $"runs/compare?ids={string.Join(",", selected.Select(r => r.Id).Order())}";
    private string ExportLabel => selected.Count > 0 ? $"Export CSV ({selected.Count} selected)" : "Export CSV";

    /// <summary>One page, as the grid asks for it: its page, size and sort, with the search box's text.</summary>
    private async Task<GridData<TrainingRun>> LoadAsync(GridState<TrainingRun> state, CancellationToken ct)
    {
        user ??= PortalUser.From((await AuthenticationState).User);
        lastQuery = MedSeg.Web.Features.Lists.GridPaging.Query(state, SortKeys, search);
        return await MedSeg.Web.Features.Lists.GridPaging.LoadAsync(() => Lists.RunsAsync(user!, lastQuery, ct), Shown,
            ex => Snackbar.Add($"Could not load runs: {ex.Message}", Severity.Error));
    }

    private void Shown(IReadOnlyList<TrainingRun> items)
    {
        runs = [.. items];
        if (firstPage is not null) _ = MedSeg.Web.Features.Lists.FirstPageState.HideAfterGridRenderAsync(() => { firstPage = null; StateHasChanged(); });
    }

    private async Task SearchAsync(string text)
    {
        search = text ?? "";
        if (grid is not null) await grid.ReloadServerData();
    }

    /// <summary>What the export holds: the selected runs if any, else every run the search lets through, in the grid's order.</summary>
    internal async Task<IReadOnlyList<TrainingRun>> ExportRowsAsync()
    {
        if (selected.Count > 0) return [.. selected.OrderBy(r => r.Id)];
        var rows = new List<TrainingRun>();
        await foreach (var run in Lists.StreamRunsAsync(user!, lastQuery with { Search = search })) rows.Add(run);
        return rows;
    }

    private async Task ExportAsync()
    {
        try { await FileDownload.SaveTextAsync(JS, "runs.csv", "text/csv", RunCsv.Write(await ExportRowsAsync())); }
        catch (Exception ex) { Snackbar.Add($"Export failed: {ex.Message}", Severity.Error); }
    }

    protected override async Task OnInitializedAsync()
    {
        user = PortalUser.From((await AuthenticationState).User);
        (firstPage, FirstPageJson) = await MedSeg.Web.Features.Lists.FirstPageState.ReadOrTakeAsync(RendererInfo.IsInteractive, FirstPageJson,
            async () => ForPreview(await Lists.RunsAsync(user, new MedSeg.Web.Features.Lists.ListQuery(1, FirstPageSize, "id", Desc: true, Search: ""))));
        throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged));
        subscription = Feed.SubscribeAll(OnProgress);
    }

    /// <summary>What the preview's columns show, and no more: it travels to the browser in the page's persisted state.</summary>
    private static MedSeg.Web.Features.Lists.ListPage<TrainingRun> ForPreview(MedSeg.Web.Features.Lists.ListPage<TrainingRun> page) => page with
    {
        Items = [.. page.Items.Select(r => new TrainingRun
        {
            Id = r.Id, Name = r.Name, Status = r.Status, CurrentStep = r.CurrentStep, TotalSteps = r.TotalSteps, Method = r.Method,
            ModelName = r.ModelName, DatasetId = r.DatasetId, Dataset = r.Dataset is null ? null : new() { Id = r.Dataset.Id, Name = r.Dataset.Name },
            // A fine-tune's data label reads the dataset folder from its config; nothing else of the config is shown.
            ConfigJson = r.Method == MedSeg.Data.Entities.TrainingMethods.FineTune ? RunDataLabel.ConfigForLabel(r.ConfigJson) : "{}",
            BestValDice = r.BestValDice, LastLoss = r.LastLoss, Tags = r.Tags, Owner = MedSeg.Web.Features.Lists.FirstPageState.Owner(r.Owner), Device = r.Device,
            CreatedAt = r.CreatedAt, FinishedAt = r.FinishedAt,
        })],
    };

    private void OnSelectionChanged(HashSet<TrainingRun> items) => selected = items;

    private Task OnProgress(RunProgressMessage m) => InvokeAsync(async () =>
    {
        try
        {
            var row = runs.FirstOrDefault(r => r.Id == m.RunId);
            if (row is null || row.Status != m.Status)
            {
                // New run or a status change: reload the page (rare) so finish times and scores are right.
                if (grid is not null) await grid.ReloadServerData();
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

using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MedSeg.Web.Components;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Datasets.Pages;

/// <summary>All datasets of the user's lab, updated live from <see cref="DatasetProgressNotifier"/>.</summary>
public partial class DatasetList
{
    [Inject] private MedSeg.Web.Features.Lists.PagedLists Lists { get; set; } = default!;
    [Inject] private DatasetProgressNotifier Notifier { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>Grid columns (property names) → the sort keys of <see cref="MedSeg.Web.Features.Lists.PagedLists.DatasetSortKeys"/>.</summary>
    private static readonly Dictionary<string, string> SortKeys = new()
    {
        ["Id"] = "id", ["Name"] = "name", ["Status"] = "status", ["BytesOnDisk"] = "bytes", ["CreatedUtc"] = "created",
    };

    private const int FirstPageSize = 10;

    /// <summary>
    /// The first page as the prerender read it, shown until the real grid has loaded its own: the rows are on screen
    /// before the circuit starts, and the interactive render takes them from the prerender (no empty flash).
    /// </summary>
    [PersistentState] public string? FirstPageJson { get; set; }

    private MedSeg.Web.Features.Lists.ListPage<Dataset>? firstPage;

    private List<Dataset> datasets = []; // the page on screen
    private readonly Dictionary<int, DatasetProgress> live = [];
    private string search = "";
    private IDisposable? subscription;
    private RenderThrottle? throttle;
    private PortalUser? user;
    private MudDataGrid<Dataset>? grid;

    private async Task<GridData<Dataset>> LoadAsync(GridState<Dataset> state, CancellationToken ct)
    {
        user ??= PortalUser.From((await AuthenticationState).User);
        var query = MedSeg.Web.Features.Lists.GridPaging.Query(state, SortKeys, search);
        return await MedSeg.Web.Features.Lists.GridPaging.LoadAsync(() => Lists.DatasetsAsync(user!, query, ct), Shown,
            ex => Snackbar.Add($"Could not load datasets: {ex.Message}", Severity.Error));
    }

    private void Shown(IReadOnlyList<Dataset> items)
    {
        datasets = [.. items];
        if (firstPage is not null) _ = MedSeg.Web.Features.Lists.FirstPageState.HideAfterGridRenderAsync(() => { firstPage = null; StateHasChanged(); });
    }

    private async Task SearchAsync(string text)
    {
        search = text ?? "";
        if (grid is not null) await grid.ReloadServerData();
    }

    protected override async Task OnInitializedAsync()
    {
        user = PortalUser.From((await AuthenticationState).User);
        (firstPage, FirstPageJson) = await MedSeg.Web.Features.Lists.FirstPageState.ReadOrTakeAsync(RendererInfo.IsInteractive, FirstPageJson,
            async () => ForPreview(await Lists.DatasetsAsync(user, new MedSeg.Web.Features.Lists.ListQuery(1, FirstPageSize, "id", Desc: true, Search: ""))));
        throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged));
        subscription = Notifier.SubscribeAll(OnProgress);
    }

    /// <summary>What the preview's columns show, and no more: it travels to the browser in the page's persisted state.</summary>
    private static MedSeg.Web.Features.Lists.ListPage<Dataset> ForPreview(MedSeg.Web.Features.Lists.ListPage<Dataset> page) => page with
    {
        Items = [.. page.Items.Select(d => new Dataset
        {
            Id = d.Id, Name = d.Name, Kind = d.Kind, Status = d.Status, BytesOnDisk = d.BytesOnDisk, CreatedUtc = d.CreatedUtc,
            VolumeCountRequested = d.VolumeCountRequested, VolumeCountDone = d.VolumeCountDone, DroppedShapes = d.DroppedShapes, Error = d.Error, Owner = MedSeg.Web.Features.Lists.FirstPageState.Owner(d.Owner),
        })],
    };

    private DatasetProgress ProgressOf(Dataset d) =>
        live.TryGetValue(d.Id, out var p) && p.Status == d.Status ? p : DatasetProgress.FromRow(d);

    // Runs on the generation thread: hop onto the circuit's dispatcher before touching state.
    private Task OnProgress(DatasetProgress p) => InvokeAsync(async () =>
    {
        try
        {
            var row = datasets.FirstOrDefault(d => d.Id == p.DatasetId);
            if (row is null)
            {
                // A dataset created elsewhere (or on another page): reload the page (rare, cheap).
                if (grid is not null) await grid.ReloadServerData();
            }
            else
            {
                row.Status = p.Status;
                row.VolumeCountDone = p.VolumesDone;
                row.BytesOnDisk = p.BytesOnDisk;
                live[p.DatasetId] = p;
            }
            _ = throttle?.RequestAsync(); // renders later on its own; never delay this handler
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    });

    public void Dispose()
    {
        subscription?.Dispose();
        throttle?.Dispose();
    }
}

using MedSeg.Data.Entities;
using MedSeg.Viewer;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MedSeg.Web.Components;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Datasets.Pages;

/// <summary>One dataset: summary, live progress, controls, viewer slot, class histogram and volume table.</summary>
public partial class DatasetDetail
{
    [Inject] private DatasetService DatasetService { get; set; } = default!;
    [Inject] private DatasetProgressNotifier Notifier { get; set; } = default!;
    [Inject] private DataPaths Paths { get; set; } = default!;
    [Inject] private DatasetContents Contents { get; set; } = default!;
    [Inject] private IEnumerable<IDatasetWriter> Writers { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>Dataset id from the route.</summary>
    [Parameter] public int Id { get; set; }

    private Dataset? dataset;
    private DatasetProgress? progress;
    private DatasetContentsSummary? contents;
    private IReadOnlyList<string> classNames = [];
    private List<MudBlazor.ChartSeries<double>> chartSeries = [];
    private string[] chartLabels = [];
    // Class names are long ("polygon5-concave-inside"): slanted labels keep them readable. Voxel counts run to
    // millions: few ticks with digit grouping, or the axis is a wall of 7-digit numbers.
    private readonly BarChartOptions chartOptions = new()
    {
        XAxisLabelRotation = 45, ShowLegend = false, MaxNumYAxisTicks = 6, YAxisFormat = "#,0", YAxisTitle = "voxels",
    };
    /// <summary>Volumes offered to the viewer's picker (capped: a picker of thousands helps nobody).</summary>
    private const int MaxViewerVolumes = 500;
    private List<SliceViewerVolume> viewerVolumes = [];
    private Dictionary<int, string> classNameMap = [];
    private int selectedVolume; // position in viewerVolumes
    private bool loading = true;
    private PortalUser? user;
    private IDisposable? subscription;
    private RenderThrottle? throttle;
    private DatasetStatus? lastStatus;
    private DateTime contentsLoadedUtc;
    private bool reloading, reloadPending;
    private static readonly TimeSpan ContentsRefresh = TimeSpan.FromSeconds(5);

    private bool CanManage => user is not null && dataset is not null && user.CanManage(dataset);

    protected override async Task OnInitializedAsync()
    {
        user = PortalUser.From((await AuthenticationState).User);
        throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged));
        subscription = Notifier.SubscribeAll(OnProgress);
        await LoadAsync();
        loading = false;
    }

    private async Task LoadAsync()
    {
        try
        {
            dataset = await DatasetService.FindAsync(user!, Id);
            if (dataset is null) return;
            // Live snapshots are newer than the row (saved at most once a second): the row only seeds the first view.
            progress ??= DatasetProgress.FromRow(dataset);
            lastStatus ??= dataset.Status;
            var writer = Writers.FirstOrDefault(w => w.Kind == dataset.Kind);
            if (writer is null) return;
            classNames = writer.ClassNames(dataset.SpecJson);
            var directory = Paths.DatasetDirectory(dataset);
            // File reading off the dispatcher: a large manifest takes a moment.
            contents = await Task.Run(() => Contents.Read(directory, writer, dataset.SpecJson));
            contentsLoadedUtc = DateTime.UtcNow;
            classNameMap = classNames.Select((name, id) => (name, id)).Where(c => c.id > 0).ToDictionary(c => c.id, c => c.name);
            var volumes = contents.Volumes.Take(MaxViewerVolumes)
                .Select(v => new SliceViewerVolume($"Volume {v.Index}", DatasetUrls.Volume(Id, v.Index, image: true), DatasetUrls.Volume(Id, v.Index, image: false)))
                .ToList();
            // Growing while running: keep the list (and so the viewer) unchanged unless volumes were added.
            if (volumes.Count != viewerVolumes.Count) viewerVolumes = volumes;
            chartLabels = [.. contents.Classes.Select(c => c.ClassName)];
            chartSeries = [new MudBlazor.ChartSeries<double> { Name = "Voxels", Data = new MudBlazor.ChartData<double>(contents.Classes.Select(c => (double)c.Voxels).ToArray()) }];
        }
        catch (Exception ex)
        {
            Snackbar.Add($"Could not load dataset {Id}: {ex.Message}", Severity.Error);
        }
    }

    private Task OnProgress(DatasetProgress p) => p.DatasetId != Id ? Task.CompletedTask : InvokeAsync(async () =>
    {
        try
        {
            // A status change (started, completed, ...) changes the row and the files: reload both. While running,
            // refresh the volume list now and then so the viewer and table grow with the dataset.
            var reload = p.Status != lastStatus || (p.Status == DatasetStatus.Running && DateTime.UtcNow - contentsLoadedUtc > ContentsRefresh);
            progress = p;
            lastStatus = p.Status;
            if (reload) await ReloadAsync();
            _ = throttle?.RequestAsync();
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    });

    // Events keep arriving while a reload awaits: coalesce them into one more reload instead of overlapping ones.
    private async Task ReloadAsync()
    {
        if (reloading) { reloadPending = true; return; }
        reloading = true;
        try
        {
            do
            {
                reloadPending = false;
                await LoadAsync();
            } while (reloadPending);
        }
        finally
        {
            reloading = false;
        }
    }

    private void OnViewerError(string message) => Snackbar.Add($"Viewer: {message}", Severity.Error);

    private async Task CancelAsync()
    {
        if (!await DatasetService.CancelAsync(user!, Id)) Snackbar.Add("Nothing to cancel.", Severity.Warning);
    }

    private async Task ResumeAsync()
    {
        if (await DatasetService.ResumeAsync(user!, Id)) Snackbar.Add("Resumed: complete volumes are kept.", Severity.Info);
        else Snackbar.Add("This dataset cannot be resumed.", Severity.Warning);
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete dataset",
            $"Delete '{dataset?.Name}' and its {progress?.VolumesDone} volumes from disk? This cannot be undone.",
            yesText: "Delete", cancelText: "Keep");
        if (confirmed != true) return;
        if (await DatasetService.DeleteAsync(user!, Id))
        {
            Snackbar.Add($"Deleted '{dataset?.Name}'.", Severity.Success);
            Navigation.NavigateTo("datasets");
        }
        else Snackbar.Add("This dataset cannot be deleted now.", Severity.Warning);
    }

    public void Dispose()
    {
        subscription?.Dispose();
        throttle?.Dispose();
    }
}

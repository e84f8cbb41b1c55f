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
    [Inject] private DatasetService DatasetService { get; set; } = default!;
    [Inject] private DatasetProgressNotifier Notifier { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private List<Dataset> datasets = [];
    private readonly Dictionary<int, DatasetProgress> live = [];
    private bool loading = true;
    private string search = "";
    private IDisposable? subscription;
    private RenderThrottle? throttle;
    private PortalUser? user;

    private bool QuickFilter(Dataset d) =>
        string.IsNullOrWhiteSpace(search)
        || d.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
        || d.Status.ToString().Contains(search, StringComparison.OrdinalIgnoreCase)
        || (d.Owner?.Email?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false);

    protected override async Task OnInitializedAsync()
    {
        user = PortalUser.From((await AuthenticationState).User);
        throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged));
        subscription = Notifier.Subscribe(OnProgress);
        try
        {
            datasets = await DatasetService.ListAsync(user);
        }
        catch (Exception ex)
        {
            Snackbar.Add($"Could not load datasets: {ex.Message}", Severity.Error);
        }
        loading = false;
    }

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
                // A dataset created elsewhere: reload the list (rare, cheap).
                if (user is not null) datasets = await DatasetService.ListAsync(user);
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

using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Components.Pages;

/// <summary>Dashboard: active runs with live progress, the queue (the PI re-orders it), devices, recent finishes and failures.</summary>
public partial class Home
{
    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private const int RecentCount = 8;
    private List<TrainingRun> active = [], queue = [], recent = [];
    private readonly Dictionary<int, double?> eta = [];
    private PortalUser? user;
    private IReadOnlyCollection<int> labRunIds = [];
    private IDisposable? subscription;
    private RenderThrottle? throttle;
    private TrainingRunService? runs;
    private bool reloading;
    private bool noRunsYet; // the lab has never started a run: show the first steps

    private bool IsPI => user?.IsPI ?? false;

    private TimeSpan? Eta(TrainingRun r) => eta.TryGetValue(r.Id, out var s) && s is { } v ? TimeSpan.FromSeconds(v) : null;

    protected override async Task OnInitializedAsync()
    {
        var principal = (await AuthenticationState).User;
        if (principal.Identity?.IsAuthenticated != true) return;
        user = PortalUser.From(principal);
        runs = Services.GetRequiredService<TrainingRunService>();
        throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged));
        subscription = Services.GetRequiredService<RunProgressFeed>().SubscribeAll(OnProgress);
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        if (runs is null || user is null || reloading) return;
        reloading = true;
        try
        {
            var all = await runs.ListAsync(user);
            noRunsYet = all.Count == 0;
            labRunIds = all.Select(r => r.Id).ToHashSet();
            active = all.Where(r => r.Status is TrainingRunStatus.Running or TrainingRunStatus.Paused).OrderBy(r => r.StartedAt).ToList();
            queue = await runs.QueueAsync(user);
            recent = all.Where(r => r.IsFinished || r.Status == TrainingRunStatus.Interrupted)
                .OrderByDescending(r => r.FinishedAt ?? r.CreatedAt).Take(RecentCount).ToList();
        }
        catch (Exception ex)
        {
            Snackbar.Add($"Could not load runs: {ex.Message}", Severity.Error);
        }
        finally
        {
            reloading = false;
        }
    }

    private Task OnProgress(RunProgressMessage m) => InvokeAsync(async () =>
    {
        try
        {
            var row = active.FirstOrDefault(r => r.Id == m.RunId);
            if (row is null || row.Status != m.Status) await ReloadAsync();
            else
            {
                row.CurrentStep = Math.Max(row.CurrentStep, m.ToStep);
                row.TotalSteps = m.TotalSteps;
                if (m.Points.Count > 0) row.LastLoss = m.Points[^1].Loss;
            }
            eta[m.RunId] = m.EtaSeconds;
            _ = throttle?.RequestAsync();
        }
        catch (Exception ex) { await DispatchExceptionAsync(ex); }
    });

    private async Task SetPriorityAsync(TrainingRun r, int priority)
    {
        if (runs is null || user is null) return;
        if (!await runs.SetPriorityAsync(user, r.Id, priority)) Snackbar.Add("Only the lab's PI may change priorities.", Severity.Warning);
        await ReloadAsync();
    }

    private async Task MoveAsync(TrainingRun r, int index)
    {
        if (runs is null || user is null) return;
        if (!await runs.MoveInQueueAsync(user, r.Id, index)) Snackbar.Add("This run cannot be moved.", Severity.Warning);
        await ReloadAsync();
    }

    public void Dispose()
    {
        subscription?.Dispose();
        throttle?.Dispose();
    }
}

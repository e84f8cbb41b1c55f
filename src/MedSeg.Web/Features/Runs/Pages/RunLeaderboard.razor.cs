using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MedSeg.Web.Features.Lists;
using MedSeg.Web.Features.Runs.Components;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Components;

namespace MedSeg.Web.Features.Runs.Pages;

/// <summary>
/// The lab's runs ranked by a chosen metric, with each run's key settings beside its score. One page of ranked rows at a
/// time from the database (<see cref="PagedLists.LeaderboardAsync"/>: filter, order, LIMIT and ranks there), so the page
/// costs the same at 100 runs or 10,000; the export streams every ranked row that passes the filter.
/// </summary>
public partial class RunLeaderboard
{
    internal const int PageSize = 25; // a screenful: the prerendered HTML (1.8 KB a row) is what the browser paints first

    [Inject] private PagedLists Lists { get; set; } = default!;
    [Inject] private TrainingRunService Runs { get; set; } = default!;
    [Inject] private MedSeg.Training.Methods.MethodCatalog Catalog { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private RunClassNames ClassNames { get; set; } = default!;
    [Inject] private Microsoft.JSInterop.IJSRuntime JS { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private IReadOnlyList<LeaderboardEntry<TrainingRun>> ranked = [];
    private int total;
    private int pageNumber = 1;
    private LeaderboardMetric metric = LeaderboardMetric.BestValidationDice;
    private string filter = "";
    private bool finishedOnly;
    private bool loading = true;
    private PortalUser? user;
    private int loadVersion; // a slower, older load never overwrites a newer one (typing in the filter)
    // Expanded rows: run id -> its newest per-class validation Dice (null when it has none).
    private readonly Dictionary<int, ClassDiceColumn?> classDice = [];

    /// <summary>The rows on screen, ranked once when their page was loaded.</summary>
    internal IReadOnlyList<LeaderboardEntry<TrainingRun>> Ranked => ranked;

    private int PageCount => Math.Max(1, (total + PageSize - 1) / PageSize);
    private int Skip => (pageNumber - 1) * PageSize;

    /// <summary>What the filter and the completed-only box select, as a list query (search and status run in SQL).</summary>
    private ListQuery Query(int page) =>
        new(page, PageSize, null, true, string.IsNullOrWhiteSpace(filter) ? null : filter.Trim(), finishedOnly ? nameof(TrainingRunStatus.Completed) : null);

    protected override async Task OnInitializedAsync()
    {
        user = PortalUser.From((await AuthenticationState).User);
        await LoadAsync(1);
        loading = false;
    }

    private async Task LoadAsync(int page)
    {
        if (user is null) return;
        var version = ++loadVersion;
        try
        {
            var found = await Lists.LeaderboardAsync(user, metric, Query(page));
            if (version != loadVersion) return;
            (ranked, total, pageNumber) = (found.Items, found.Total, page);
            if (ranked.Count == 0 && page > 1 && total > 0) await LoadAsync(PageCount); // the filter shrank the list below this page
        }
        catch (Exception ex) { Snackbar.Add($"Could not load runs: {ex.Message}", Severity.Error); }
    }

    private async Task MetricChangedAsync(LeaderboardMetric value)
    {
        metric = value;
        await LoadAsync(1);
    }

    private async Task FilterChangedAsync(string? value)
    {
        filter = value ?? "";
        await LoadAsync(1);
    }

    private async Task FinishedOnlyChangedAsync(bool value)
    {
        finishedOnly = value;
        await LoadAsync(1);
    }

    private Task PageChangedAsync(int page) => LoadAsync(page);

    private async Task ToggleClassDiceAsync(TrainingRun run)
    {
        if (classDice.Remove(run.Id) || user is null) return;
        try
        {
            var last = await Runs.LastClassDiceAsync(user, run.Id);
            classDice[run.Id] = last is { } l
                ? new ClassDiceColumn($"#{run.Id} (step {l.Step})", null, await ClassNames.ResolveAsync(run), l.Values)
                : null;
        }
        catch (Exception ex) { Snackbar.Add($"Could not load the per-class Dice of run {run.Id}: {ex.Message}", Severity.Error); }
    }

    /// <summary>Exports every ranked row the filter and completed-only box let through (all pages), in rank order, rank and score first.</summary>
    private async Task ExportAsync()
    {
        if (user is null) return;
        try
        {
            var rows = new List<LeaderboardEntry<TrainingRun>>();
            await foreach (var e in Lists.StreamLeaderboardAsync(user, metric, Query(1))) rows.Add(e);
            await FileDownload.SaveTextAsync(JS, "leaderboard.csv", "text/csv", RunCsv.WriteRanked(rows, Leaderboard.ColumnName(metric)));
        }
        catch (Exception ex) { Snackbar.Add($"Export failed: {ex.Message}", Severity.Error); }
    }
}

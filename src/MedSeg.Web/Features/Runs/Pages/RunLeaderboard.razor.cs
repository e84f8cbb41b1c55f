using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MedSeg.Web.Features.Runs.Components;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Components;

namespace MedSeg.Web.Features.Runs.Pages;

/// <summary>The lab's runs ranked by a chosen metric, with each run's key settings beside its score.</summary>
public partial class RunLeaderboard
{
    [Inject] private TrainingRunService Runs { get; set; } = default!;
    [Inject] private MedSeg.Training.Methods.MethodCatalog Catalog { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private RunClassNames ClassNames { get; set; } = default!;
    [Inject] private Microsoft.JSInterop.IJSRuntime JS { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private List<TrainingRun> runs = [];
    private LeaderboardMetric metric = LeaderboardMetric.BestValidationDice;
    private string filter = "";
    private bool finishedOnly;
    private bool loading = true;
    private PortalUser? user;
    // Expanded rows: run id -> its newest per-class validation Dice (null when it has none).
    private readonly Dictionary<int, ClassDiceColumn?> classDice = [];

    internal IReadOnlyList<LeaderboardEntry<TrainingRun>> Ranked =>
        Leaderboard.Rank(runs.Where(Matches).OrderBy(r => r.Id), Score, Leaderboard.HigherIsBetter(metric));

    private double? Score(TrainingRun r) => Leaderboard.Score(r, metric);

    private bool Matches(TrainingRun r) =>
        (!finishedOnly || r.Status == TrainingRunStatus.Completed)
        && (string.IsNullOrWhiteSpace(filter)
            || r.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)
            || r.ModelName.Contains(filter, StringComparison.OrdinalIgnoreCase)
            || (r.Tags?.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false)
            || (r.Owner?.Email?.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false));

    protected override async Task OnInitializedAsync()
    {
        user = PortalUser.From((await AuthenticationState).User);
        try { runs = await Runs.ListAsync(user); }
        catch (Exception ex) { Snackbar.Add($"Could not load runs: {ex.Message}", Severity.Error); }
        loading = false;
    }

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

    /// <summary>Exports the rows shown (filter, completed-only) in rank order, with rank and score columns first.</summary>
    private async Task ExportAsync()
    {
        try { await FileDownload.SaveTextAsync(JS, "leaderboard.csv", "text/csv", RunCsv.WriteRanked(Ranked, Leaderboard.ColumnName(metric))); }
        catch (Exception ex) { Snackbar.Add($"Export failed: {ex.Message}", Severity.Error); }
    }
}

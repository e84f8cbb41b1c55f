using MedSeg.Data.Entities;
using MedSeg.Web.Components.Runs;
using MedSeg.Web.Runs;
using MedSeg.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MedSeg.Web.Components.Pages.Runs;

/// <summary>The lab's runs ranked by a chosen metric, with each run's key settings beside its score.</summary>
public partial class RunLeaderboard
{
    [Inject] private TrainingRunService Runs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private List<TrainingRun> runs = [];
    private LeaderboardMetric metric = LeaderboardMetric.BestValidationDice;
    private string filter = "";
    private bool finishedOnly;
    private bool loading = true;

    internal IReadOnlyList<LeaderboardEntry<TrainingRun>> Ranked =>
        Leaderboard.Rank(runs.Where(Matches).OrderBy(r => r.Id), Score, Leaderboard.HigherIsBetter(metric));

    private double? Score(TrainingRun r) => metric switch
    {
        LeaderboardMetric.BestValidationDice => r.BestValDice,
        LeaderboardMetric.LastValidationDice => r.FinalValDice,
        _ => r.LastLoss,
    };

    private bool Matches(TrainingRun r) =>
        (!finishedOnly || r.Status == TrainingRunStatus.Completed)
        && (string.IsNullOrWhiteSpace(filter)
            || r.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)
            || r.ModelName.Contains(filter, StringComparison.OrdinalIgnoreCase)
            || (r.Tags?.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false)
            || (r.Owner?.Email?.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false));

    protected override async Task OnInitializedAsync()
    {
        try { runs = await Runs.ListAsync(PortalUser.From((await AuthenticationState).User)); }
        catch (Exception ex) { Snackbar.Add($"Could not load runs: {ex.Message}", Severity.Error); }
        loading = false;
    }
}

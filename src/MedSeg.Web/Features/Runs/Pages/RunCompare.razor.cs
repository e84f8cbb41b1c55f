using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MedSeg.Web.Components.Charts;
using MedSeg.Web.Features.Runs.Components;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs.Pages;

/// <summary>Runs side by side: their loss and Dice curves overlaid, and the settings in which they differ.</summary>
public partial class RunCompare
{
    public static readonly string[] Palette = ["#1976d2", "#d32f2f", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#c2185b"];

    [Inject] private TrainingRunService Runs { get; set; } = default!;
    [Inject] private MedSeg.Training.Methods.MethodCatalog Catalog { get; set; } = default!;
    [Inject] private RunLiveBuffer Buffer { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private RunClassNames ClassNames { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>Comma-separated run ids.</summary>
    [SupplyParameterFromQuery(Name = "ids")] public string? Ids { get; set; }

    private List<TrainingRun> runs = [];
    private readonly List<RunSeries> series = [];
    private readonly List<ClassDiceColumn> classColumns = [];
    private bool loading = true;
    private string xAxis = "step";

    private IReadOnlyList<LineSeries> LossSeries => runs.Select((r, i) =>
        new LineSeries($"#{r.Id} {r.Name}", Palette[i % Palette.Length], xAxis == "time" ? series[i].Seconds : series[i].Steps, series[i].Loss)).ToList();

    private IReadOnlyList<LineSeries> DiceSeries => runs.Select((r, i) =>
        new LineSeries($"#{r.Id} {r.Name}", Palette[i % Palette.Length], xAxis == "time" ? series[i].ValidationSeconds : series[i].ValidationSteps, series[i].ValidationDice)).ToList();

    protected override async Task OnInitializedAsync()
    {
        var user = PortalUser.From((await AuthenticationState).User);
        try
        {
            var ids = (Ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, out var id) ? id : 0).Where(id => id > 0).Distinct().Take(Palette.Length);
            foreach (var id in ids)
            {
                var run = await Runs.FindAsync(user, id);
                if (run is null) continue;
                var s = new RunSeries();
                s.AddRange(await Buffer.ChartHistoryAsync(id, 0));
                if (s.LastClassDice is { Count: > 0 } perClass)
                    classColumns.Add(new ClassDiceColumn($"#{run.Id}", Palette[runs.Count % Palette.Length], await ClassNames.ResolveAsync(run), perClass));
                runs.Add(run);
                series.Add(s);
            }
        }
        catch (Exception ex)
        {
            Snackbar.Add($"Could not load the runs: {ex.Message}", Severity.Error);
        }
        loading = false;
    }
}

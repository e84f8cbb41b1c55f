using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MedSeg.Web.Components;
using MedSeg.Web.Components.Charts;
using MedSeg.Web.Features.Runs.Components;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs.Pages;

/// <summary>
/// One run, live: loss / learning-rate / validation curves (canvas, LTTB), throughput, data wait, memory, ETA,
/// checkpoint, per-class Dice, log tail, configuration and the owner's actions. Opened mid-run it subscribes to the
/// in-process feed FIRST, then loads the history, then applies what arrived meanwhile (<see cref="RunSeries"/>
/// drops repeats), so no step is missed. Renders from progress are throttled to 5/s.
/// </summary>
public partial class RunDetail
{
    [Inject] private TrainingRunService Runs { get; set; } = default!;
    [Inject] private RunProgressFeed Feed { get; set; } = default!;
    [Inject] private RunLiveBuffer Buffer { get; set; } = default!;
    [Inject] private DataPaths Paths { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private RunClassNames ClassNames { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Parameter] public int Id { get; set; }

    /// <summary>Options the training service sets per run (folders, resume): noise in the settings table.</summary>
    private static readonly HashSet<string> ServiceManagedKeys = ["outputDir", "datasetDir", "specPath", "resume"];

    private const string LossColor = "#1976d2";
    private const string LrColor = "#ef6c00";
    private const string DiceColor = "#2e7d32";

    private TrainingRun? run;
    private PortalUser? user;
    private bool loading = true;
    private RunSeries series = new();
    private int loadedId;
    private RunStepPoint? last;
    private TrainingRunStatus status;
    private long currentStep, totalSteps;
    private TimeSpan? eta;
    private string? checkpoint, error;
    private IReadOnlyList<string> logTail = [];
    private IReadOnlyList<RunEvent> events = [];
    private IReadOnlyList<string> classNames = []; // per-class Dice labels, by class id
    private IReadOnlyList<KeyValuePair<string, string>> config = [];
    private string xAxis = "step";
    private bool logLoss;
    private double smoothing = 0.6;
    private IDisposable? subscription;
    private RenderThrottle? throttle;
    private List<RunProgressMessage>? pending = []; // messages that arrive while history loads

    private bool CanManage => user is not null && run is not null && user.CanManage(run);
    private double Percent => totalSteps <= 0 ? 0 : 100.0 * currentStep / totalSteps;
    private double? BestDice => series.ValidationDice.Count > 0 ? series.ValidationDice.Max() : run?.BestValDice;
    private string XLabel => xAxis == "time" ? "time (m:ss)" : "step";
    private string XFormat => xAxis == "time" ? "duration" : "number";
    /// <summary>The loss, learning-rate and validation charts share one cursor (values of all three at one step).</summary>
    private string SyncKey => $"run-{Id}-{xAxis}";
    private List<double> X => xAxis == "time" ? series.Seconds : series.Steps;
    /// <summary>The total loss and, for multi-term methods (LWI, Swin SSL, …), each named term on the same axes.</summary>
    private IReadOnlyList<LineSeries> LossSeries =>
    [
        new("loss", LossColor, X, series.Loss),
        .. series.Terms.Select((t, i) => new LineSeries(t.Key, TermColors[i % TermColors.Length],
            xAxis == "time" ? t.Value.Seconds : t.Value.Steps, t.Value.Values)),
    ];

    private static readonly string[] TermColors = ["#e65100", "#6a1b9a", "#00838f", "#558b2f", "#ad1457", "#4e342e"];
    private IReadOnlyList<LineSeries> LrSeries => [new("learning rate", LrColor, X, series.LearningRate)];
    private IReadOnlyList<LineSeries> DiceSeries =>
        [new("val Dice", DiceColor, xAxis == "time" ? series.ValidationSeconds : series.ValidationSteps, series.ValidationDice)];

    internal RunSeries Series => series;

    private static IEnumerable<string> Tags(TrainingRun r) =>
        (r.Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    protected override async Task OnParametersSetAsync()
    {
        if (loadedId == Id) return;
        // The router keeps this component when only the id changes (runs/1 → runs/2, e.g. after queueing a
        // fine-tune run from its pretraining run's page): start over for the new run.
        loadedId = Id;
        subscription?.Dispose();
        subscription = null;
        (run, loading, series, last, eta, checkpoint, error, logTail, config, pending) = (null, true, new(), null, null, null, null, [], [], []);
        (currentStep, totalSteps, classNames) = (0, 0, []);
        user ??= PortalUser.From((await AuthenticationState).User);
        throttle ??= new RenderThrottle(() => InvokeAsync(StateHasChanged));
        var id = Id;
        try
        {
            run = await Runs.FindAsync(user, id);
            if (run is null) return;
            ApplyRow(run);
            // A fine-tune run's datasetDir ("downstream/NAME", relative to the data root) is its choice, not a service folder.
            var shown = run.Method == TrainingMethods.FineTune ? ["datasetDir"] : Array.Empty<string>();
            config = [.. ConfigDiff.Flatten(run.ConfigJson).Where(kv => !ServiceManagedKeys.Contains(kv.Key) || shown.Contains(kv.Key))];
            logTail = ReadLog(run);
            events = await Runs.EventsAsync(user, Id);
            classNames = await ClassNames.ResolveAsync(run);
            subscription = Feed.Subscribe(id, m => OnProgress(id, m));
            series.AddRange(await Buffer.ChartHistoryAsync(id, 0));
            foreach (var m in pending!) Apply(m);
            pending = null;
            last = series.Last;
            currentStep = Math.Max(currentStep, series.LastStep); // the row is saved less often than steps
        }
        catch (Exception ex)
        {
            Snackbar.Add($"Could not load run {id}: {ex.Message}", Severity.Error);
        }
        finally
        {
            loading = false;
        }
    }

    private void ApplyRow(TrainingRun r)
    {
        status = r.Status;
        currentStep = r.CurrentStep;
        totalSteps = r.TotalSteps;
        checkpoint = r.LastCheckpointPath;
        error = r.ErrorText;
    }

    private IReadOnlyList<string> ReadLog(TrainingRun r)
    {
        if (string.IsNullOrEmpty(r.RunFolder)) return [];
        var path = Path.Combine(Paths.DataRoot, r.RunFolder, "log.txt");
        return File.Exists(path) ? LogTail.Read(path, 20) : [];
    }

    // Runs on the feed's thread: hop onto the circuit's dispatcher before touching state.
    private Task OnProgress(int runId, RunProgressMessage message) => InvokeAsync(async () =>
    {
        try
        {
            if (runId != loadedId) return; // a late message of the run shown before
            if (pending is not null) { pending.Add(message); return; }
            var statusChanged = message.Status != status;
            // Steps missing before this message (stored while this page was not subscribed, e.g. backfilled from the
            // metrics log when a run resumed after a server restart): catch up from the store first.
            if (message.Points is [var first, ..] && first.Step > series.LastStep + 1)
                series.AddRange(await Buffer.ChartHistoryAsync(Id, series.LastStep));
            Apply(message);
            // A message without steps or log lines is a status notice (e.g. the Slurm job changed state): re-read the row too.
            var notice = message.Points.Count == 0 && message.LogTail is null;
            if ((statusChanged || notice) && user is not null)
            {
                run = await Runs.FindAsync(user, Id) ?? run; // finish time, best Dice, device
                if (run is not null) { var keep = (currentStep, checkpoint); ApplyRow(run); (currentStep, checkpoint) = (Math.Max(keep.currentStep, currentStep), checkpoint ?? keep.checkpoint); }
                events = await Runs.EventsAsync(user, Id); // started, resumed, completed, ...
            }
            _ = throttle?.RequestAsync();
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    });

    private void Apply(RunProgressMessage m)
    {
        series.AddRange(m.Points);
        last = series.Last ?? last;
        status = m.Status;
        totalSteps = m.TotalSteps;
        currentStep = Math.Max(series.LastStep, m.ToStep);
        eta = m.EtaSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
        if (m.Checkpoint is not null) checkpoint = m.Checkpoint;
        if (m.Error is not null) error = m.Error;
        if (m.LogTail is not null) logTail = m.LogTail;
    }

    private async Task PauseAsync() => Report(await Runs.PauseAsync(user!, Id), "Pausing after the current step (a checkpoint is written).", "This run cannot be paused now.");

    private async Task ResumeAsync() => Report(await Runs.ResumeAsync(user!, Id), "Queued to resume from its last checkpoint.", "This run cannot be resumed.");

    private async Task CancelAsync() => Report(await Runs.CancelAsync(user!, Id), "Cancelling.", "Nothing to cancel.");

    private void Report(bool ok, string success, string failure) =>
        Snackbar.Add(ok ? success : failure, ok ? Severity.Info : Severity.Warning);

    public void Dispose()
    {
        subscription?.Dispose();
        throttle?.Dispose();
    }
}

using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.Estimates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// Training-run operations for pages, the hub and endpoints, with the lab rules of <see cref="PortalUser"/>: everyone in
/// the lab sees its runs; owners and the PI pause, cancel, resume and clone; only the PI sets priorities and re-orders.
/// Bad input throws <see cref="ArgumentException"/> whose message names the field and value.
/// </summary>
public sealed partial class TrainingRunService(
    IDbContextFactory<MedSegDbContext> dbFactory,
    TrainingQueue queue,
    RunLiveBuffer buffer,
    RunProgressFeed feed,
    DataPaths paths,
    IOptions<TrainingOptions> options,
    IOptions<LimitsOptions> limits,
    AuditLog audit,
    Training.Methods.MethodCatalog catalog,
    Features.Membership.LabQuotas quotas,
    IOptions<SlurmOptions> slurm,
    IEnumerable<IRunBackend> backends)
{
    public async Task<List<TrainingRun>> ListAsync(PortalUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TrainingRuns.AsNoTracking().Include(r => r.Owner).Include(r => r.Dataset)
            .Where(r => r.LabId == user.LabId).OrderByDescending(r => r.Id).ToListAsync(ct);
    }

    /// <summary>The lab's queued runs in the order the service will start them.</summary>
    public async Task<List<TrainingRun>> QueueAsync(PortalUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await QueueQuery(db).Include(r => r.Owner).Where(r => r.LabId == user.LabId).ToListAsync(ct);
    }

    /// <summary>Queued runs in start order: priority (high first), then queue position, then id.</summary>
    internal static IQueryable<TrainingRun> QueueQuery(MedSegDbContext db) =>
        db.TrainingRuns.AsNoTracking().Where(r => r.Status == TrainingRunStatus.Queued)
            .OrderByDescending(r => r.Priority).ThenBy(r => r.QueuePosition).ThenBy(r => r.Id);

    /// <summary>The run if it exists and the user's lab may read it; otherwise null (callers answer 404).</summary>
    public async Task<TrainingRun?> FindAsync(PortalUser user, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().Include(r => r.Owner).Include(r => r.Dataset).SingleOrDefaultAsync(r => r.Id == id, ct);
        return run is not null && user.CanRead(run) ? run : null;
    }

    /// <summary>The run's events, oldest first (empty when the user may not read it).</summary>
    public async Task<List<RunEvent>> EventsAsync(PortalUser user, int id, CancellationToken ct = default)
    {
        if (await FindAsync(user, id, ct) is null) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RunEvents.AsNoTracking().Where(e => e.RunId == id).OrderBy(e => e.Id).ToListAsync(ct);
    }

    /// <summary>Stored and buffered steps after <paramref name="afterStep"/>; null when the user may not read the run.</summary>
    public async Task<RunSubscription?> MetricsAsync(PortalUser user, int id, long afterStep, CancellationToken ct = default)
    {
        var points = await buffer.HistoryAsync(id, afterStep, ct);
        var run = await FindAsync(user, id, ct);
        return run is null ? null : RunSubscription.From(run, points, LogTail(run));
    }

    /// <summary>Per-class Dice of the run's newest validation (background first) and its step; null without one or access.</summary>
    public async Task<(long Step, IReadOnlyList<double?> Values)?> LastClassDiceAsync(PortalUser user, int id, CancellationToken ct = default)
    {
        if (await FindAsync(user, id, ct) is null) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.RunStepMetrics.AsNoTracking().Where(m => m.RunId == id && m.ValDiceJson != null)
            .OrderByDescending(m => m.Step).FirstOrDefaultAsync(ct);
        return row is null || RunStepPoint.FromRow(row).ValDicePerClass is not { Count: > 0 } values ? null : (row.Step, values);
    }

    /// <summary>The last lines of the run's log.txt (empty before it first started).</summary>
    public IReadOnlyList<string> LogTail(TrainingRun run)
    {
        if (run.RunFolder.Length == 0) return [];
        var log = Path.Combine(paths.RunDirectory(run), "log.txt");
        return File.Exists(log) ? Runs.LogTail.Read(log, options.Value.LogTailLines) : [];
    }

    /// <summary>Every problem with a request (empty when it can be queued).</summary>
    public async Task<IReadOnlyList<string>> ValidateAsync(PortalUser user, TrainingRunRequest request, CancellationToken ct = default) =>
        (await CheckAsync(user, request, ct)).Errors;

    /// <summary>Queues a new run, or returns every problem with the request (checked once).</summary>
    public async Task<(TrainingRun? Run, IReadOnlyList<string> Errors)> TryCreateAsync(PortalUser user, TrainingRunRequest request,
        CancellationToken ct = default)
    {
        var (insert, errors) = await CheckAsync(user, request, ct);
        return errors.Count > 0 || insert is null ? (null, errors) : (await insert(ct), errors);
    }

    /// <summary>Queues a new run. Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public async Task<TrainingRun> CreateAsync(PortalUser user, TrainingRunRequest request, CancellationToken ct = default)
    {
        var (run, errors) = await TryCreateAsync(user, request, ct);
        return run ?? throw new ArgumentException(string.Join(" ", errors), nameof(request));
    }

    /// <summary>Every problem with a request, or (none) how to insert it: FDSL through its options, other methods through the catalogue.</summary>
    private async Task<(Func<CancellationToken, Task<TrainingRun>>? Insert, IReadOnlyList<string> Errors)> CheckAsync(PortalUser user,
        TrainingRunRequest request, CancellationToken ct)
    {
        var errors = new List<string>();
        if (!user.CanWrite) errors.Add("Role: viewers cannot queue runs; ask your lab's PI for the member role.");
        var name = request.Name?.Trim() ?? "";
        if (NameRule.Problem(name) is { } badName) errors.Add(badName);
        if (request.Tags is { Length: > 400 }) errors.Add($"Tags: at most 400 characters, got {request.Tags.Length}.");
        if (request.Priority != 0 && !user.IsPI) errors.Add($"Priority: only the lab's PI may set a priority, got {request.Priority}.");
        if (user.CanWrite) errors.AddRange(await QuotaRefusalsAsync(user.LabId, ct));
        errors.AddRange(BackendProblems(request.Backend, request.Cluster));
        var where = Placement(request.Backend, request.Cluster);
        if (!MethodRunConfig.IsFdslAlias(request.Method ?? TrainingMethods.Fdsl))
        {
            var (entry, problems) = await CheckMethodAsync(user, request, ct);
            errors.AddRange(problems);
            return errors.Count > 0 || entry is null
                ? (null, errors)
                : (c => InsertAsync(user, name, entry.Method.Name, entry.Model, entry.ConfigJson, entry.TotalSteps,
                    request.DatasetId, null, request.Tags, request.Priority, null, c, where), errors);
        }
        if (request.Downstream is not null)
            errors.Add($"Downstream: FDSL trains on a stored dataset (DatasetId) or an on-the-fly spec (SpecJson), got '{request.Downstream}'.");
        var (config, configErrors) = TrainingConfig.Parse(request.ConfigJson, limits.Value);
        errors.AddRange(configErrors);
        string? dataSpec = null; // the AVS-DB spec the run trains on: its classes size the network's output
        switch (request.DatasetId, request.SpecJson)
        {
            case (null, null):
                errors.Add("Data: choose a dataset (DatasetId) or an on-the-fly AVS-DB spec (SpecJson).");
                break;
            case (not null, not null):
                errors.Add("Data: choose either a dataset (DatasetId) or an on-the-fly spec (SpecJson), not both.");
                break;
            case (int datasetId, null):
                dataSpec = (await TrainableDatasetAsync(user, datasetId, errors, ct))?.SpecJson;
                break;
            case (null, string spec):
                var specErrors = TrainingConfig.ValidateSpec(spec);
                errors.AddRange(specErrors);
                if (specErrors.Count == 0) dataSpec = spec;
                break;
        }
        if (config is not null && TrainingConfig.ClassCount(dataSpec) is int classes
            && RunMemoryAdmission.Check(RunMemoryRequest.For(config, classes), limits.Value) is string memory)
            errors.Add(memory);
        if (errors.Count > 0 || config is null) return (null, errors);
        // Stored explicitly, so a clone made later knows what this run fed (an absent rule means a run from before it: raw).
        config.InputIntensity ??= Training.Fdsl.InputIntensity.Default;
        return (c => InsertAsync(user, name, config, request.DatasetId, request.SpecJson, request.Tags, request.Priority, null, c, where), errors);
    }

    /// <summary>Problems with where a run should execute: an unknown backend, or a cluster request outside the site's values.</summary>
    public IReadOnlyList<string> BackendProblems(string? backend, Cluster.ClusterRequest? cluster)
    {
        var errors = new List<string>();
        var name = backend is null ? RunBackends.Parse(options.Value.Backend) ?? RunBackends.Local : RunBackends.Parse(backend);
        if (name is null) errors.Add($"Backend: '{backend}' is unknown; expected one of {string.Join(", ", RunBackends.All)}.");
        else if (name == RunBackends.Slurm && cluster is not null) errors.AddRange(cluster.Problems(slurm.Value));
        else if (name != RunBackends.Slurm && cluster is not null) errors.Add($"Cluster: partition, GPUs and time limit apply only to the {RunBackends.Slurm} backend, not {name}.");
        return errors;
    }

    /// <summary>The backend a new run gets and its stored cluster request (null for Local).</summary>
    private (string Backend, string? ClusterJson) Placement(string? backend, Cluster.ClusterRequest? cluster)
    {
        var name = RunBackends.Parse(backend ?? options.Value.Backend) ?? RunBackends.Local;
        return (name, name == RunBackends.Slurm ? (cluster ?? new()).ToJson() : null);
    }

    /// <summary>The completed dataset <paramref name="datasetId"/> of the user's lab; null, with the reason added to <paramref name="errors"/>, otherwise.</summary>
    private async Task<Dataset?> TrainableDatasetAsync(PortalUser user, int datasetId, List<string> errors, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == datasetId, ct);
        if (dataset is null || !user.CanRead(dataset)) errors.Add($"DatasetId: no dataset {datasetId} in your lab.");
        else if (dataset.Status != DatasetStatus.Completed)
            errors.Add($"DatasetId: dataset {datasetId} '{dataset.Name}' is {dataset.Status}; only completed datasets can be trained on.");
        else return dataset;
        return null;
    }

    /// <summary>A new queued run with the same configuration and data; null when the user may not read the original.</summary>
    public async Task<TrainingRun?> CloneAsync(PortalUser user, int id, string? name = null, CancellationToken ct = default)
    {
        var original = await FindAsync(user, id, ct);
        if (original is null) return null;
        if (!user.CanWrite) throw new ArgumentException("Role: viewers cannot queue runs; ask your lab's PI for the member role.", nameof(user));
        if (MethodRunConfig.IsCatalogueMethod(original.Method))
            return await CloneMethodRunAsync(user, original, name, ct);
        if (original.Method == TrainingMethods.FineTune)
        {
            var copyName = string.IsNullOrWhiteSpace(name) ? $"{original.Name} (clone)" : name.Trim();
            if (NameRule.Problem(copyName) is { } badCopy) throw new ArgumentException(badCopy, nameof(name));
            return await InsertAsync(user, copyName, original.Method, original.ModelName, original.ConfigJson, original.TotalSteps,
                null, null, original.Tags, 0, original.Id, ct, (original.Backend, original.ClusterRequestJson));
        }
        var config = TrainingConfig.Parse(original.ConfigJson).Options
            ?? throw new InvalidOperationException($"Run {id} has an unreadable config.");
        config.InputIntensity ??= Training.Fdsl.InputIntensity.Legacy; // a run from before the rule was recorded fed raw values
        // A clone is a new request: the limits of today apply, not those the original was queued under.
        var over = RunLimits.Check(config, limits.Value).ToList();
        if (over.Count == 0 && TrainingConfig.ClassCount(original.SpecJson ?? original.Dataset?.SpecJson) is int classes
            && RunMemoryAdmission.Check(RunMemoryRequest.For(config, classes), limits.Value) is string memory)
            over.Add(memory);
        if (over.Count > 0) throw new ArgumentException(string.Join(" ", over), nameof(id));
        name = string.IsNullOrWhiteSpace(name) ? $"{original.Name} (clone)" : name.Trim();
        if (NameRule.Problem(name) is { } bad) throw new ArgumentException(bad, nameof(name));
        return await InsertAsync(user, name, config, original.DatasetId, original.SpecJson, original.Tags, 0, original.Id, ct,
            (original.Backend, original.ClusterRequestJson));
    }

    private Task<TrainingRun> InsertAsync(PortalUser user, string name, Training.Fdsl.FdslOptions config, int? datasetId,
        string? specJson, string? tags, int priority, int? clonedFrom, CancellationToken ct, (string Backend, string? ClusterJson)? where = null) =>
        // Estimate of the steps; the trainer reports the exact count (a dataset may hold fewer samples than asked for).
        InsertAsync(user, name, TrainingMethods.Fdsl, config.Model, TrainingConfig.Serialize(config), config.TotalSteps(config.Samples),
            datasetId, specJson, tags, priority, clonedFrom, ct, where);

    /// <summary>The lab's quota refusals for one more queued run (queued runs, disk); empty when it may queue.</summary>
    private async Task<List<string>> QuotaRefusalsAsync(string labId, CancellationToken ct)
    {
        string?[] refusals = [await quotas.QueuedRunRefusalAsync(labId, ct), await quotas.DiskRefusalAsync(labId, 0, ct)];
        return [.. refusals.OfType<string>()];
    }

    /// <summary>
    /// Inserts a new run, Queued; with <paramref name="waitsFor"/> Paused until that run completes (<see cref="RunFollowUps"/>
    /// queues it then), so no worker can start it before the weights it starts from exist.
    /// </summary>
    /// <param name="where">Backend and cluster request; null = the portal's default backend.</param>
    private async Task<TrainingRun> InsertAsync(PortalUser user, string name, string method, string model, string configJson, long totalSteps,
        int? datasetId, string? specJson, string? tags, int priority, int? clonedFrom, CancellationToken ct,
        (string Backend, string? ClusterJson)? where = null, TrainingRun? waitsFor = null)
    {
        // Every way into the queue (create, clone, fine-tune) passes here.
        if (await QuotaRefusalsAsync(user.LabId, ct) is { Count: > 0 } refused) throw new ArgumentException(string.Join(" ", refused), nameof(user));
        var (backend, clusterJson) = where ?? Placement(null, null);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = DateTime.UtcNow;
        var position = (await db.TrainingRuns.MaxAsync(r => (long?)r.QueuePosition, ct) ?? 0) + 1;
        var run = new TrainingRun
        {
            Name = name, Method = method, ModelName = model, ConfigJson = configJson,
            DatasetId = datasetId, SpecJson = specJson, Priority = priority, QueuePosition = position,
            OwnerId = user.Id, LabId = user.LabId, Tags = tags, CreatedAt = now,
            TotalSteps = totalSteps, ClonedFromRunId = clonedFrom, Backend = backend, ClusterRequestJson = clusterJson,
        };
        db.TrainingRuns.Add(RunLifecycle.Admit(run, waitsFor is null ? TrainingRunStatus.Queued : TrainingRunStatus.Paused));
        await db.SaveChangesAsync(ct);
        run.RunFolder = DataPaths.RelativeRunPath(run.Id);
        if (waitsFor is not null)
            RunLifecycle.Record(db, run.Id, RunEventKinds.WaitingForRun,
                $"Created by {user.Name}; waits for run {waitsFor.Id} '{waitsFor.Name}' to complete, then it is queued", null, now);
        else
            RunLifecycle.Record(db, run.Id, clonedFrom is null ? RunEventKinds.Queued : RunEventKinds.Cloned,
                clonedFrom is null ? $"Queued by {user.Name}" : $"Cloned from run {clonedFrom} by {user.Name} and queued", null, now);
        await db.SaveChangesAsync(ct);
        queue.Signal();
        await feed.PublishStatusAsync(run);
        audit.Record(user, "run.create", $"run {run.Id} '{name}' ({method}, {model})");
        return run;
    }

    /// <summary>
    /// Cancels a queued, paused or interrupted run at once, a running one at its next step (wherever it executes: see
    /// <see cref="TrainingRun.RequestedAction"/>). False when not allowed or already over.
    /// </summary>
    public Task<bool> CancelAsync(PortalUser user, int id, CancellationToken ct = default) => StopAsync(user, id, RunStopReason.Cancel, ct);

    /// <summary>Pauses a running run at its next step boundary after a checkpoint; a queued run is taken out of the queue.</summary>
    public Task<bool> PauseAsync(PortalUser user, int id, CancellationToken ct = default) => StopAsync(user, id, RunStopReason.Pause, ct);

    private async Task<bool> StopAsync(PortalUser user, int id, RunStopReason reason, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (run is null || !user.CanManage(run)) return false;
        var target = reason == RunStopReason.Cancel ? TrainingRunStatus.Cancelled : TrainingRunStatus.Paused;
        // Not running: straight to the target (RunLifecycle's table guards the change, so a run claimed meanwhile is untouched).
        if (await RunLifecycle.StopIdleAsync(db, id, target, target == TrainingRunStatus.Cancelled ? RunEventKinds.Cancelled : RunEventKinds.Paused,
                $"{target} by {user.Name} before it ran", run.CurrentStep, DateTime.UtcNow, ct))
        {
            audit.Record(user, reason == RunStopReason.Cancel ? "run.cancel" : "run.pause", $"run {id} '{run.Name}'");
            await feed.PublishStatusAsync(run, target);
            return true;
        }
        // Running, here or in another process: the request goes on the row (guarded by the status, and a pending cancel is
        // never turned back into a pause); the executing service polls it. A trainer in this process stops at once.
        var action = reason == RunStopReason.Cancel ? RunControlAction.Cancel : RunControlAction.Pause;
        var requested = await db.TrainingRuns
            .Where(r => r.Id == id && r.Status == TrainingRunStatus.Running
                && (action == RunControlAction.Cancel || r.RequestedAction != RunControlAction.Cancel))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RequestedAction, action), ct);
        if (requested == 0) return false;
        audit.Record(user, reason == RunStopReason.Cancel ? "run.cancel" : "run.pause", $"run {id} '{run.Name}' (requested while running)");
        // The run's backend makes its executor act now (no backend registered: this process's trainer, as Local does).
        if (backends.FirstOrDefault(b => b.Name == run.Backend) is { } backend) await backend.RequestStopAsync(run, reason, ct);
        else queue.RequestStop(id, reason);
        await AddEventAsync(db, id, reason == RunStopReason.Cancel ? RunEventKinds.CancelRequested : RunEventKinds.PauseRequested,
            $"{(reason == RunStopReason.Cancel ? "Cancel" : "Pause")} requested by {user.Name}", null, ct);
        return true;
    }

    /// <summary>
    /// Queues a paused, interrupted, failed or cancelled run again (at the end of its priority); training continues from
    /// its newest checkpoint, or from step 0 without one. False when not allowed or not resumable.
    /// </summary>
    public async Task<bool> ResumeAsync(PortalUser user, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (run is null || !user.CanManage(run)) return false;
        // A running run goes back to the queue only through its worker (server stopping, lease lost), never by a user.
        if (run.Status == TrainingRunStatus.Running || !RunLifecycle.IsAllowed(run.Status, TrainingRunStatus.Queued))
            return false;
        run.RequestedAction = null;
        run.ErrorText = null;
        run.FinishedAt = null;
        run.QueuePosition = (await db.TrainingRuns.MaxAsync(r => (long?)r.QueuePosition, ct) ?? 0) + 1;
        RunLifecycle.Transition(db, run, TrainingRunStatus.Queued, RunEventKinds.Queued,
            $"Queued again by {user.Name} (continues from its newest checkpoint)", run.CurrentStep, DateTime.UtcNow);
        audit.Record(user, "run.resume", $"run {id} '{run.Name}'");
        await db.SaveChangesAsync(ct);
        queue.Signal();
        await feed.PublishStatusAsync(run);
        return true;
    }

    /// <summary>Sets a run's priority (higher runs start first). PI only; false otherwise.</summary>
    public async Task<bool> SetPriorityAsync(PortalUser user, int id, int priority, CancellationToken ct = default)
    {
        if (!user.IsPI) return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (run is null || run.LabId != user.LabId) return false;
        RunLifecycle.Record(db, id, RunEventKinds.PriorityChanged, $"Priority {run.Priority} → {priority} by {user.Name}", null, DateTime.UtcNow);
        run.Priority = priority;
        await db.SaveChangesAsync(ct);
        queue.Signal();
        audit.Record(user, "run.priority", $"run {id} '{run.Name}' priority {priority}");
        return true;
    }

    /// <summary>
    /// Moves a queued run to <paramref name="index"/> (0 = next to start) in the lab's queue. It takes the priority of the
    /// run it lands among, so the shown order is the start order. PI only; false otherwise or when the run is not queued.
    /// </summary>
    public async Task<bool> MoveInQueueAsync(PortalUser user, int id, int index, CancellationToken ct = default)
    {
        if (!user.IsPI) return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ordered = await db.TrainingRuns.Where(r => r.Status == TrainingRunStatus.Queued && r.LabId == user.LabId)
            .OrderByDescending(r => r.Priority).ThenBy(r => r.QueuePosition).ThenBy(r => r.Id).ToListAsync(ct);
        var run = ordered.FirstOrDefault(r => r.Id == id);
        if (run is null) return false;
        var from = ordered.IndexOf(run);
        ordered.RemoveAt(from);
        index = Math.Clamp(index, 0, ordered.Count);
        ordered.Insert(index, run);
        var neighbour = index + 1 < ordered.Count ? ordered[index + 1] : index > 0 ? ordered[index - 1] : null;
        if (neighbour is not null) run.Priority = neighbour.Priority;
        // Renumber so positions follow the list; the list was sorted by priority, so priorities stay non-increasing.
        var basePosition = ordered.Min(r => r.QueuePosition);
        for (var i = 0; i < ordered.Count; i++) ordered[i].QueuePosition = basePosition + i;
        RunLifecycle.Record(db, id, RunEventKinds.Moved, $"Moved from place {from + 1} to {index + 1} in the queue by {user.Name}", null, DateTime.UtcNow);
        await db.SaveChangesAsync(ct);
        queue.Signal();
        return true;
    }

    private static async Task AddEventAsync(MedSegDbContext db, int id, string kind, string message, long? step, CancellationToken ct)
    {
        RunLifecycle.Record(db, id, kind, message, step, DateTime.UtcNow);
        await db.SaveChangesAsync(ct);
    }
}

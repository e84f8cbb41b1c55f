using System.Text.Json;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.Checkpoints;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Runs.Tracking;

/// <summary>
/// One checkpoint of a run folder as the checkpoint browser lists it: its folder name (step-000000100, best, final),
/// the step it holds, the size and time of its model.safetensors (the file offered for download), and the metrics of
/// that step from the run's step rows (loss at the step; the newest validation Dice at or before it).
/// </summary>
public sealed record RunCheckpointInfo(string Name, long Step, long SizeBytes, DateTime WrittenAt, double? Loss, double? ValDice, long? ValStep);

/// <summary>
/// The checkpoints of a run folder (read-only: never cleans or creates anything in it) and their safetensors files,
/// for readers of the run's lab only. A name is only ever matched against the folder's own listing, never joined as a path.
/// </summary>
public sealed class RunCheckpointFiles(IDbContextFactory<MedSegDbContext> dbFactory, DataPaths paths)
{
    /// <summary>The run's checkpoints with a model.safetensors, newest step first; null when the user may not read the run.</summary>
    public async Task<IReadOnlyList<RunCheckpointInfo>?> ListAsync(PortalUser user, int runId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null || !user.CanRead(run)) return null;
        var found = Folders(run).Select(f => (f.Name, f.File, Step: StepOf(f.Name, f.Folder, run))).ToList();
        if (found.Count == 0) return [];
        var steps = found.Select(f => f.Step).ToHashSet();
        var losses = await db.RunStepMetrics.AsNoTracking().Where(m => m.RunId == runId && steps.Contains(m.Step))
            .Select(m => new { m.Step, m.Loss }).ToDictionaryAsync(m => m.Step, m => m.Loss, ct);
        var validations = await db.RunStepMetrics.AsNoTracking().Where(m => m.RunId == runId && m.ValDice != null)
            .OrderBy(m => m.Step).Select(m => new { m.Step, m.ValDice }).ToListAsync(ct);
        // Exists is read first and cached with the length and time: a checkpoint rotated away meanwhile is left out
        // rather than failing the listing.
        return found.Select(f => (f.Name, f.Step, File: new FileInfo(f.File))).Where(f => f.File.Exists).Select(f =>
            {
                var validation = validations.LastOrDefault(v => v.Step <= f.Step);
                return new RunCheckpointInfo(f.Name, f.Step, f.File.Length, f.File.LastWriteTimeUtc,
                    losses.TryGetValue(f.Step, out var loss) ? loss : null, validation?.ValDice, validation?.Step);
            })
            .OrderByDescending(c => c.Step).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The model.safetensors of checkpoint <paramref name="name"/>; null when the run or the checkpoint is not the user's to read.</summary>
    public async Task<(TrainingRun Run, string File)?> FileAsync(PortalUser user, int runId, string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null || !user.CanRead(run)) return null;
        var match = Folders(run).FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
        return match.File is null ? null : (run, match.File);
    }

    /// <summary>The data-root-relative path of checkpoint <paramref name="name"/>'s weights (a fine-tune's "safetensors:" init), or null.</summary>
    public string? RelativeWeights(TrainingRun run, string name) =>
        Folders(run).FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal)).File is { } file
            ? Path.GetRelativePath(paths.DataRoot, file).Replace('\\', '/') : null;

    private IEnumerable<(string Name, string Folder, string File)> Folders(TrainingRun run)
    {
        if (run.RunFolder.Length == 0) yield break;
        var root = Path.Combine(paths.RunDirectory(run), "checkpoints");
        if (!Directory.Exists(root)) yield break;
        foreach (var folder in Directory.GetDirectories(root))
        {
            var name = Path.GetFileName(folder);
            var file = Path.Combine(folder, CheckpointStore.WeightsFile);
            // Temporary folders (.tmp-*) are half-written; a step folder counts once its state.json exists (CheckpointStore).
            if (name.StartsWith('.') || !File.Exists(file)) continue;
            if (name.StartsWith("step-", StringComparison.Ordinal) && !File.Exists(Path.Combine(folder, CheckpointStore.StateFile))) continue;
            yield return (name, folder, file);
        }
    }

    /// <summary>step-N folders by name; best/ from its state.json; an uploaded final/ at the run's last step.</summary>
    private static long StepOf(string name, string folder, TrainingRun run)
    {
        if (name.StartsWith("step-", StringComparison.Ordinal) && long.TryParse(name.AsSpan(5), out var step)) return step;
        try { return CheckpointStore.ReadState(folder).Step; }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException) { return run.CurrentStep; }
    }
}

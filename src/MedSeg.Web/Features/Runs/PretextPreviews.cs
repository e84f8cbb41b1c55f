using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MedSeg.Data.Entities;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Methods;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// The pretext preview of a run whose method shows one (<see cref="IPretextPreview"/>: LWI, Swin SSL) for the run page and
/// <see cref="PretextPreviewApi"/>: the run's first sample (written on first request into <c>&lt;run folder&gt;/preview/</c>)
/// and its reconstruction at the newest checkpoint (<c>reconstruction-step-N.nii.gz</c>, once per checkpoint), both
/// computed in this process on the CPU without gradients, one at a time per run.
/// </summary>
public sealed partial class PretextPreviews(DataPaths paths, RunLauncher launcher, MethodCatalog catalog)
{
    public const string Folder = "preview";

    private readonly ConcurrentDictionary<int, SemaphoreSlim> locks = new();

    public bool Supports(TrainingRun run) =>
        MethodRunConfig.IsCatalogueMethod(run.Method) && catalog.TryGet(run.Method, out var m) && m is IPretextPreview;

    public string FolderOf(TrainingRun run) => Path.Combine(paths.RunDirectory(run), Folder);

    public static string ReconstructionFile(long step) => $"reconstruction-step-{step}.nii.gz";

    /// <summary>The sample's caption and legend, writing the preview first when the run has none yet.</summary>
    public Task<PretextPreviewInfo> InputAsync(TrainingRun run, CancellationToken ct = default) =>
        LockedAsync(run, async () =>
        {
            var folder = FolderOf(run);
            if (new[] { PretextPreview.Caption, PretextPreview.Input, PretextPreview.Labels }.All(f => File.Exists(Path.Combine(folder, f))))
                return PretextPreview.ReadInfo(folder);
            var (method, options) = await OptionsAsync(run);
            return await Task.Run(() => method.WriteInput(options, folder), ct);
        }, ct);

    /// <summary>
    /// The step of the run's newest checkpoint, its reconstruction written when missing; null before the first checkpoint.
    /// A checkpoint pruned while it is read throws an <see cref="IOException"/> (the next checkpoint will do).
    /// </summary>
    public async Task<long?> ReconstructionAsync(TrainingRun run, CancellationToken ct = default)
    {
        await InputAsync(run, ct);
        var checkpoints = new CheckpointStore(Path.Combine(paths.RunDirectory(run), "checkpoints")).List();
        if (checkpoints.Count == 0) return null;
        var (step, checkpoint) = checkpoints[^1];
        return await LockedAsync(run, async () =>
        {
            var folder = FolderOf(run);
            if (!File.Exists(Path.Combine(folder, ReconstructionFile(step))))
            {
                var (method, options) = await OptionsAsync(run);
                await Task.Run(() => method.WriteReconstruction(options, checkpoint, folder, ReconstructionFile(step)), ct);
            }
            return (long?)step;
        }, ct);
    }

    /// <summary>A preview file of the run by name (input, target, labels, reconstruction-step-N .nii.gz); null for any other name.</summary>
    public string? FilePath(TrainingRun run, string name) =>
        FileName().IsMatch(name) ? Path.Combine(FolderOf(run), name) : null;

    [GeneratedRegex(@"^(input|target|labels|reconstruction-step-\d{1,12})\.nii\.gz$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    private async Task<(IPretextPreview Method, IMethodOptions Options)> OptionsAsync(TrainingRun run)
    {
        if (!catalog.TryGet(run.Method, out var m) || m is not IPretextPreview preview)
            throw new TrainingException($"Run {run.Id}: method '{run.Method}' has no pretext preview.");
        var resolved = await launcher.ResolveAsync(run, paths.RunDirectory(run), "cpu");
        return (preview, resolved.MethodOptions!);
    }

    private async Task<T> LockedAsync<T>(TrainingRun run, Func<Task<T>> work, CancellationToken ct)
    {
        var gate = locks.GetOrAdd(run.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try { return await work(); }
        finally { gate.Release(); }
    }
}

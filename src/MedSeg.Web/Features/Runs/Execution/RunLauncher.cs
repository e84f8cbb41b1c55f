using MedSeg.Core.Generators.AvsDb;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.Fdsl;
using MedSeg.Training.FineTune;
using MedSeg.Training.Methods;
using MedSeg.Training.Progress;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Features.Downstream;

namespace MedSeg.Web.Features.Runs.Execution;

/// <summary>
/// Turns a claimed run's row into a trainer and trains it in the run folder, always continuing from the newest checkpoint
/// there: FDSL from its options (checked again where the trainer starts) and its dataset or on-the-fly spec, fine-tuning
/// from its <see cref="FineTuneOptions"/>, every other method through the catalogue (the method's options record, its
/// <c>Prepare</c> and the shared loop: the same code as <c>medseg train volf|lwi|…</c>). The worker loop (<see cref="TrainingHostedService"/>) owns the row's status.
/// </summary>
public sealed class RunLauncher(IDbContextFactory<MedSegDbContext> dbFactory, DataPaths paths, IOptions<TrainingOptions> options,
    IOptions<LimitsOptions> limits, MethodCatalog catalog)
{
    public async Task<TrainingResult> TrainAsync(TrainingRun run, string folder, string device, IProgress<TrainingProgress> progress, CancellationToken ct)
    {
        var resolved = await ResolveAsync(run, folder, device);
        if (resolved.FineTune is { } fineTune)
        {
            // Downstream fine-tuning: same folder, progress, checkpoints and resume; evaluation.json at the end.
            fineTune.Device = device;
            // Clamped to the limit and the cores: a run queued before the limit (or under a higher one) must not take the process down.
            fineTune.TorchThreads = RunLimits.ClampThreads(fineTune.TorchThreads ?? options.Value.TorchThreads, limits.Value);
            return (await new FineTuneTrainer(fineTune).RunAsync(progress, ct)).Training;
        }
        if (resolved.MethodOptions is { } methodOptions)
        {
            var prepared = await Task.Run(() => catalog.Get(run.Method).Prepare(methodOptions), ct);
            return await prepared.TrainAsync(progress, ct);
        }
        var config = resolved.Fdsl!;
        config.Device = device;
        config.TorchThreads = RunLimits.ClampThreads(config.TorchThreads ?? options.Value.TorchThreads, limits.Value);
        var trainer = await Task.Run(() => resolved.Spec is null ? FdslRunFactory.Create(config) : FdslRunFactory.FromSpec(config, resolved.Spec));
        return await trainer.RunAsync(progress, ct);
    }

    /// <summary>
    /// The run's stored options made ready for its trainer in <paramref name="folder"/> (paths absolute, resume on): FDSL
    /// (with its on-the-fly spec), fine-tuning, or a catalogue method's record (with <paramref name="device"/> and the
    /// clamped threads). A cluster worker gets the same, and sets its node's device and threads itself.
    /// </summary>
    public async Task<ResolvedRun> ResolveAsync(TrainingRun run, string folder, string device)
    {
        if (run.Method == TrainingMethods.FineTune)
            return new ResolvedRun(null, null, FineTuneRunConfig.ForTraining(run.ConfigJson, paths.DataRoot, folder, $"Run {run.Id}"), null);
        if (MethodRunConfig.IsCatalogueMethod(run.Method))
        {
            var method = catalog.Get(run.Method);
            var datasetFolder = run.DatasetId is int id ? await DatasetFolderAsync(run, id) : null;
            return new ResolvedRun(null, null, null, MethodRunConfig.ForTraining(method, run.ConfigJson, paths.DataRoot, datasetFolder, folder, device,
                t => RunLimits.ClampThreads(t ?? options.Value.TorchThreads, limits.Value), $"Run {run.Id}"));
        }
        var (config, errors) = TrainingConfig.Parse(run.ConfigJson);
        if (config is null) throw new TrainingException($"Run {run.Id} config is invalid: {string.Join(" ", errors)}");
        config.OutputDir = folder;
        config.Resume = true; // continue from the newest checkpoint in the folder, if any
        if (run.DatasetId is int datasetId)
        {
            config.DatasetDir = await DatasetFolderAsync(run, datasetId);
            return new ResolvedRun(config, null, null, null);
        }
        return new ResolvedRun(config, AvsDbSpec.FromJson(run.SpecJson ?? "", $"run {run.Id} spec"), null, null);
    }

    private async Task<string> DatasetFolderAsync(TrainingRun run, int datasetId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == datasetId)
            ?? throw new TrainingException($"Dataset {datasetId} of run {run.Id} no longer exists.");
        return paths.DatasetDirectory(dataset);
    }
}

/// <summary>A run's options ready for its trainer: FDSL (with the on-the-fly spec, if any), fine-tuning, or a catalogue method.</summary>
public sealed record ResolvedRun(FdslOptions? Fdsl, AvsDbSpec? Spec, FineTuneOptions? FineTune, IMethodOptions? MethodOptions);

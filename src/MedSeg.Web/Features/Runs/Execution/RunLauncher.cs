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
internal sealed class RunLauncher(IDbContextFactory<MedSegDbContext> dbFactory, DataPaths paths, IOptions<TrainingOptions> options,
    IOptions<LimitsOptions> limits, MethodCatalog catalog)
{
    public async Task<TrainingResult> TrainAsync(TrainingRun run, string folder, string device, IProgress<TrainingProgress> progress, CancellationToken ct)
    {
        if (run.Method == TrainingMethods.FineTune)
        {
            // Downstream fine-tuning: same folder, progress, checkpoints and resume; evaluation.json at the end.
            var fineTune = FineTuneRunConfig.ForTraining(run.ConfigJson, paths.DataRoot, folder, $"Run {run.Id}");
            fineTune.Device = device;
            // Clamped to the limit and the cores: a run queued before the limit (or under a higher one) must not take the process down.
            fineTune.TorchThreads = RunLimits.ClampThreads(fineTune.TorchThreads ?? options.Value.TorchThreads, limits.Value);
            return (await new FineTuneTrainer(fineTune).RunAsync(progress, ct)).Training;
        }
        if (MethodRunConfig.IsCatalogueMethod(run.Method))
        {
            var method = catalog.Get(run.Method);
            var datasetFolder = run.DatasetId is int id ? await DatasetFolderAsync(run, id) : null;
            var methodOptions = MethodRunConfig.ForTraining(method, run.ConfigJson, paths.DataRoot, datasetFolder, folder, device,
                t => RunLimits.ClampThreads(t ?? options.Value.TorchThreads, limits.Value), $"Run {run.Id}");
            var prepared = await Task.Run(() => method.Prepare(methodOptions), ct);
            return await prepared.TrainAsync(progress, ct);
        }
        var trainer = await BuildTrainerAsync(run, folder, device);
        return await trainer.RunAsync(progress, ct);
    }

    private async Task<FdslTrainer> BuildTrainerAsync(TrainingRun run, string folder, string device)
    {
        var (config, errors) = TrainingConfig.Parse(run.ConfigJson);
        if (config is null) throw new TrainingException($"Run {run.Id} config is invalid: {string.Join(" ", errors)}");
        config.OutputDir = folder;
        config.Resume = true; // continue from the newest checkpoint in the folder, if any
        config.Device = device;
        config.TorchThreads = RunLimits.ClampThreads(config.TorchThreads ?? options.Value.TorchThreads, limits.Value);
        if (run.DatasetId is int datasetId)
        {
            config.DatasetDir = await DatasetFolderAsync(run, datasetId);
            return await Task.Run(() => FdslRunFactory.Create(config));
        }
        var spec = AvsDbSpec.FromJson(run.SpecJson ?? "", $"run {run.Id} spec");
        return await Task.Run(() => FdslRunFactory.FromSpec(config, spec));
    }

    private async Task<string> DatasetFolderAsync(TrainingRun run, int datasetId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == datasetId)
            ?? throw new TrainingException($"Dataset {datasetId} of run {run.Id} no longer exists.");
        return paths.DatasetDirectory(dataset);
    }
}

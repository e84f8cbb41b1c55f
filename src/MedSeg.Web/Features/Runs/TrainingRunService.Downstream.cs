using MedSeg.Data.Entities;
using MedSeg.Training.Estimates;
using MedSeg.Training.Fdsl;
using MedSeg.Training.FineTune;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Downstream;

namespace MedSeg.Web.Features.Runs;

public sealed partial class TrainingRunService
{
    /// <summary>
    /// Queues a downstream fine-tuning run on <paramref name="datasetPath"/> ("downstream/NAME" under the data root):
    /// initialised from the completed FDSL run <paramref name="pretrainRunId"/> (whole network or encoder only), or from
    /// scratch when it is null. Network (model, features, crop as patch) comes from the pretraining run, or for a scratch
    /// baseline from <paramref name="architectureRunId"/>; further settings (steps, batch, ...) from <paramref name="template"/>.
    /// The patch edge is <paramref name="patchSize"/>, or the pretraining run's crop when null. <paramref name="checkpoint"/>
    /// (a checkpoint folder of the pretraining run, e.g. "step-000000100") starts from that checkpoint's weights instead
    /// of the run's best / newest, and then the run need not be completed.
    /// Throws <see cref="ArgumentException"/> listing every problem.
    /// </summary>
    public async Task<TrainingRun> QueueDownstreamAsync(int? pretrainRunId, string datasetPath, bool encoderOnly, PortalUser user,
        FineTuneOptions? template = null, int? architectureRunId = null, CancellationToken ct = default, int? patchSize = null,
        bool waitForPretraining = false, string? checkpoint = null)
    {
        var errors = new List<string>();
        var datasets = new DownstreamDatasets(paths);
        var datasetDir = datasets.Resolve(datasetPath, user.LabId);
        if (!user.CanWrite) errors.Add("Role: viewers cannot queue runs; ask your lab's PI for the member role.");
        if (datasetDir is null)
            errors.Add($"Dataset: '{datasetPath}' is not a dataset of your lab under '{DownstreamDatasets.Folder}/' with dataset.json and split.json " +
                $"(import one with `medseg import msd SOURCE --out <data root>/{DownstreamDatasets.Folder}/NAME`).");
        if (encoderOnly && pretrainRunId is null) errors.Add("EncoderOnly: needs a pretraining run; a scratch baseline has no weights to load.");

        TrainingRun? source = null;
        var sourceId = pretrainRunId ?? architectureRunId;
        if (sourceId is int id)
        {
            source = await FindAsync(user, id, ct);
            if (source is null) errors.Add($"Run: no run {id} in your lab.");
            else if (source.Method != TrainingMethods.Fdsl && PretrainedBackboneOf(source) is null)
                errors.Add($"Run: run {id} '{source.Name}' is a {source.Method} run, whose network is not one a downstream fine-tune can start from.");
            else if (pretrainRunId is not null && source.Status != TrainingRunStatus.Completed && !waitForPretraining && checkpoint is null)
                errors.Add($"Run: run {id} '{source.Name}' is {source.Status}; only completed runs can be evaluated downstream.");
        }

        var o = template is null ? new FineTuneOptions() : FineTuneRunConfig.Read(FineTuneRunConfig.Write(template), "template");
        if (source is not null && TrainingConfig.Parse(source.ConfigJson).Options is FdslOptions pretrain)
        {
            o.Model = pretrain.Model;
            o.FeatureSize = pretrain.FeatureSize;
            o.ModelArgs = new(pretrain.ModelArgs);
            o.PatchSize = pretrain.Crop;
        }
        else if (source is not null && PretrainedBackboneOf(source) is { } backbone)
        {
            o.Model = backbone.Model;
            o.FeatureSize = backbone.FeatureSize;
            o.ModelArgs = new(backbone.ModelArgs);
            o.PatchSize = backbone.Crop;
        }
        if (patchSize is int patch) o.PatchSize = patch;
        o.DatasetDir = datasetPath;
        var weights = checkpoint is null || source is null || pretrainRunId is null ? null
            : new Tracking.RunCheckpointFiles(dbFactory, paths).RelativeWeights(source, checkpoint);
        if (checkpoint is not null && source is not null && pretrainRunId is not null && weights is null)
            errors.Add($"Checkpoint: run {source.Id} '{source.Name}' has no checkpoint '{checkpoint}' with weights (model.safetensors).");
        o.Init = pretrainRunId is null || source is null ? "scratch" : weights is not null ? $"safetensors:{weights}" : $"run:{source.RunFolder}";
        o.EncoderOnly = encoderOnly;
        o.OutputDir = "runs/validation"; // Validate() wants one; the real folder is set at run time
        o.Resume = false;
        if (errors.Count == 0)
        {
            try { o.Validate(); }
            catch (ArgumentException e) { errors.Add($"Config: {e.Message}"); }
            errors.AddRange(RunLimits.Check(o, limits.Value));
            var classes = DownstreamDatasets.Labels(datasetDir!).Count;
            if (errors.Count == 0 && classes > 0 && RunMemoryAdmission.Check(new RunMemoryRequest(
                    ModelChoice.For(o.Model, o.FeatureSize, o.PatchSize, classes, o.ModelArgs), o.PatchSize, o.BatchSize, classes, Prefetch: o.Prefetch),
                    limits.Value, "PatchSize") is string memory)
                errors.Add(memory);
        }
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors), nameof(datasetPath));
        o.OutputDir = "";

        var initLabel = source is null || pretrainRunId is null ? "scratch"
            : $"{source.Name}{(weights is null ? "" : $" @ {checkpoint}")}{(encoderOnly ? " (encoder)" : "")}";
        var name = NameRule.Fit($"{Path.GetFileName(datasetPath)} ← {initLabel}");
        return await InsertAsync(user, name, TrainingMethods.FineTune, o.Model, FineTuneRunConfig.Write(o), o.Steps,
            null, null, "downstream", 0, null, ct, waitsFor: waitForPretraining ? source : null);
    }

    /// <summary>The network of a catalogue method's run as a fine-tune rebuilds it (null: FDSL, unreadable, or not a segmentation network).</summary>
    private Training.Methods.PretrainedBackbone? PretrainedBackboneOf(TrainingRun run)
    {
        if (!MethodRunConfig.IsCatalogueMethod(run.Method) || !catalog.TryGet(run.Method, out var method)) return null;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(run.ConfigJson);
            return method.Backbone(method.ReadOptions(json.RootElement));
        }
        catch (System.Text.Json.JsonException) { return null; }
    }
}

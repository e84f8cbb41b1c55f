using MedSeg.Core.Preprocessing;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Loop;
using MedSeg.Training.Methods;
using MedSeg.Training.Losses;
using MedSeg.Training.Networks;
using MedSeg.Training.Progress;
using MedSeg.Training.Runs;
using MedSeg.Training.Weights;
using static TorchSharp.torch;
using MedSeg.Core.IO;

namespace MedSeg.Training.FineTune;

/// <summary>
/// Downstream fine-tuning on a labelled dataset (split.json): training cases are preprocessed once and kept in memory,
/// random pos/neg patches are augmented on background workers, DiceCE loss, sliding-window validation with a best
/// checkpoint by mean foreground Dice — all on the shared <see cref="SegmentationTrainingLoop"/> (same run folder,
/// progress events and exact resume as FDSL pretraining). At the end the best (else last) model is evaluated on the
/// test split (validation when there is none): evaluation.json and predictions/*.nii.gz on the images' own grids.
/// </summary>
public sealed class FineTuneTrainer
{
    private readonly FineTuneOptions _o;
    private StateDictLoadReport? _initReport;
    private FineTuneEvaluation? _evaluation;

    public FineTuneTrainer(FineTuneOptions options) => _o = options.Validate();

    public Task<FineTuneResult> RunAsync(IProgress<TrainingProgress>? progress = null, CancellationToken ct = default) =>
        Task.Factory.StartNew(() => Run(progress, ct), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public FineTuneResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken ct = default)
    {
        FineTuneDataset dataset;
        InitSource init;
        string? initFile;
        AxisOrderChoice axes;
        try
        {
            dataset = FineTuneDataset.Open(_o.DatasetDir).WithTrainCases(_o.TrainCases);
            init = InitSource.Parse(_o.Init);
            initFile = init.Kind == InitKind.Scratch ? null : init.ResolveFile();
            axes = AxisOrderChoice.OfResume(_o.OutputDir, _o.Resume, _o.AxisOrder)
                ?? AxisOrderChoice.Resolve(_o.AxisOrder, init, initFile, file => RunFolder.Display(_o.OutputDir, file));
        }
        catch (Exception e) when (e is not TrainingException)
        {
            throw FdslRunFactory.RecordFailure(_o.OutputDir, e);
        }

        var preprocessing = _o.EffectivePreprocessing;
        var pipeline = new PreprocessingPipeline(preprocessing);
        var choice = ModelChoice.For(_o.Model, _o.FeatureSize, _o.PatchSize, dataset.ClassCount, _o.ModelArgs);
        int warmup = _o.EffectiveWarmup;
        var settings = new LoopSettings
        {
            OutputDir = _o.OutputDir, Seed = _o.Seed, AxisOrder = axes.Order, Device = _o.Device, TorchThreads = _o.TorchThreads,
            LearningRate = _o.LearningRate, WeightDecay = _o.WeightDecay, TotalSteps = _o.Steps, WarmupSteps = warmup,
            MaxGradNorm = _o.MaxGradNorm, BatchSize = _o.BatchSize, Crop = $"{_o.PatchSize}³", CheckpointEvery = _o.CheckpointEvery,
            KeepLast = _o.KeepLast, ValidationEvery = dataset.Val.Count > 0 ? _o.ValidationEvery : 0, LoaderWorkers = _o.LoaderWorkers,
            Prefetch = _o.Prefetch, Resume = _o.Resume, OutOfMemoryHint = "reduce --batch or --patch",
        };
        IReadOnlyList<PreparedCase>? validation = null;
        var parts = new LoopParts
        {
            Model = choice,
            BuildModel = () => ModelFactory.Create(choice.Name, choice.Args),
            CreateObjective = () => new SegmentationObjective(new DiceCeLoss(new DiceLossOptions { Softmax = true, ToOnehotY = true, IncludeBackground = true })),
            CreateBatches = () =>
            {
                var train = PreparedCase.LoadAll(dataset.Train, pipeline);
                return new PatchBatches(train, preprocessing, _o.BatchSize, dataset.ClassCount, _o.Seed);
            },
            Validate = (model, device) =>
            {
                validation ??= PreparedCase.LoadAll(dataset.Val, pipeline);
                return new SlidingWindowValidator(validation, dataset.ClassCount, preprocessing.PatchSize, _o.Overlap, axes.Order).Evaluate(model, device);
            },
            Initialize = (model, run) => Initialize(model, run, init, initFile, axes),
            Config = device => new
            {
                runType = "finetune", options = _o, preprocessing, model = choice.Signature, init = init.ToString(), initFile,
                axisOrder = axes.Order, axisOrderReason = axes.Reason, axisOrderWarning = axes.Warning,
                encoderOnly = _o.EncoderOnly, dataset = dataset.Root, classes = dataset.ClassCount, labels = dataset.LabelNames,
                split = new { train = dataset.Train.Count, val = dataset.Val.Count, test = dataset.Test.Count },
                totalSteps = _o.Steps, warmupSteps = warmup, device,
            },
            BeforeCompleted = (run, result, device) => _evaluation = Evaluate(run, result, device, dataset, preprocessing, init, axes.Order),
        };
        var training = new SegmentationTrainingLoop(settings, parts).Run(progress, ct);
        return new FineTuneResult(training, _initReport, _evaluation);
    }

    private void Initialize(nn.Module<Tensor, Tensor> model, RunFolder run, InitSource init, string? file, AxisOrderChoice axes)
    {
        run.Log($"axis order: {axes}");
        if (axes.Warning is not null) run.Log($"warning: {axes.Warning}");
        if (file is null) { run.Log("init: scratch"); return; }
        try
        {
            _initReport = WeightInitializer.Load(model, _o.Model, file, _o.EncoderOnly);
        }
        catch (Exception e) when (e is StateDictMismatchException or ArgumentException or InvalidDataException or SafetensorsFormatException)
        {
            throw new TrainingException($"Init {init} ({(_o.EncoderOnly ? "encoder only" : "whole network")}) does not fit {_o.Model}: {e.Message}", e);
        }
        run.Log($"init: {init.Describe(run.Display)} ({(_o.EncoderOnly ? "encoder only" : "whole network")}) from '{run.Display(file)}': {_initReport}");
        AtomicFile.WriteAllText(Path.Combine(run.Root, "init.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            init = init.ToString(), file, encoderOnly = _o.EncoderOnly, axisOrder = axes.Order, axisOrderReason = axes.Reason, axisOrderWarning = axes.Warning,
            loaded = _initReport.Loaded, skippedShapeMismatch = _initReport.ShapeMismatches.Select(m => m.ToString()),
            unexpected = _initReport.Unexpected, missing = _initReport.Missing,
        }, FineTuneEvaluation.Json));
    }

    private FineTuneEvaluation? Evaluate(RunFolder run, TrainingResult result, Device device, FineTuneDataset dataset,
        PreprocessingOptions preprocessing, InitSource init, Layout.AxisOrder axisOrder)
    {
        var checkpoint = result.BestCheckpoint ?? result.LastCheckpoint
            ?? throw new TrainingException("No checkpoint to evaluate.");
        var file = Path.Combine(checkpoint, Checkpoints.CheckpointStore.WeightsFile);
        long? step = File.Exists(Path.Combine(checkpoint, Checkpoints.CheckpointStore.StateFile))
            ? Checkpoints.CheckpointStore.ReadState(checkpoint).Step : null;
        var (split, cases) = dataset.EvaluationCases;
        if (cases.Count == 0)
        {
            run.Log("evaluation skipped: split.json has no test and no validation cases");
            return null;
        }
        run.Log($"evaluating '{run.Display(file)}' (step {step}) on {cases.Count} {split} cases");
        using var model = ModelCheckpoint.Load(file, Checkpoints.CheckpointStore.ExtraMetadataKeys);
        var evaluator = new FineTuneEvaluator(preprocessing, dataset.ClassCount, dataset.LabelNames, _o.Overlap, axisOrder);
        var (perCase, perClass) = evaluator.Evaluate(model, device, cases, Path.Combine(run.Root, "predictions"));
        var evaluation = new FineTuneEvaluation(split, init.ToString(), _o.EncoderOnly, ModelChoice.For(_o.Model, _o.FeatureSize, _o.PatchSize, dataset.ClassCount, _o.ModelArgs).Signature,
            Path.GetRelativePath(run.Root, file), step, perCase, perClass,
            Core.Metrics.NanAwareMean.Of(perClass.Select(c => c.Dice)),
            Core.Metrics.NanAwareMean.Of(perClass.Select(c => c.Assd)),
            Core.Metrics.NanAwareMean.Of(perClass.Select(c => c.Hd95)));
        AtomicFile.WriteAllText(Path.Combine(run.Root, FineTuneEvaluation.FileName), evaluation.ToJson());
        run.Log($"evaluation: mean Dice {evaluation.MeanDice:F4}, mean ASSD {evaluation.MeanAssd:F3} mm, mean HD95 {evaluation.MeanHd95:F3} mm");
        return evaluation;
    }
}

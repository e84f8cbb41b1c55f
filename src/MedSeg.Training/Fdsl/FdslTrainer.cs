using MedSeg.Training.Checkpoints;
using MedSeg.Training.Data;
using MedSeg.Training.Loop;
using MedSeg.Training.Losses;
using MedSeg.Training.Methods;
using MedSeg.Training.Progress;
using static TorchSharp.torch;

namespace MedSeg.Training.Fdsl;

/// <summary>
/// FDSL pretraining: random crops of synthetic volumes, Dice loss (paper) or DiceCE, centre-crop validation,
/// on the shared <see cref="SegmentationTrainingLoop"/> (AdamW + warm-up cosine, clipping, background loading,
/// checkpoints, exact resume). Runs synchronously on the calling thread; use <see cref="RunAsync"/> for a dedicated thread.
/// </summary>
public sealed class FdslTrainer
{
    private readonly FdslOptions _o;
    private readonly IVolumeSampleSource _train;
    private readonly IVolumeSampleSource? _validation;
    private readonly ModelChoice _model;
    private readonly Func<nn.Module<Tensor, Tensor>> _buildModel;

    public FdslTrainer(FdslOptions options, IVolumeSampleSource train, IVolumeSampleSource? validation,
        ModelChoice model, Func<nn.Module<Tensor, Tensor>> buildModel)
    {
        options.Validate();
        _o = options;
        _train = train;
        _validation = validation;
        _model = model;
        _buildModel = buildModel;
    }

    public Task<TrainingResult> RunAsync(IProgress<TrainingProgress>? progress = null, CancellationToken ct = default) =>
        Task.Factory.StartNew(() => Run(progress, ct), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public TrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken ct = default)
    {
        var (settings, parts) = Plan();
        return new SegmentationTrainingLoop(settings, parts).Run(progress, ct);
    }

    /// <summary>This run as the shared loop's settings and parts (what <see cref="IPretrainingMethod.Prepare"/> returns).</summary>
    public MethodRun ToMethodRun(IPretrainingMethod method)
    {
        var (settings, parts) = Plan();
        return new MethodRun(method, _o, settings, parts);
    }

    private (LoopSettings Settings, LoopParts Parts) Plan()
    {
        try { ResumeRecipe.Check(_o); }
        catch (ArgumentException e) { throw FdslRunFactory.RecordFailure(_o.OutputDir, e); }
        int total = _o.TotalSteps(_train.Count);
        int warmup = _o.EffectiveWarmup(total);
        var crop = CropSize.Cube(_o.Crop);
        var axes = RunAxisOrder.For(_o.AxisOrder, _o.OutputDir, _o.Resume);
        var intensity = InputIntensity.For(_o.InputIntensity, _o.OutputDir, _o.Resume);
        var train = InputIntensity.Apply(_train, intensity);
        var validation = _validation is null ? null : InputIntensity.Apply(_validation, intensity);
        var settings = new LoopSettings
        {
            OutputDir = _o.OutputDir, Seed = _o.Seed, AxisOrder = axes, Device = _o.Device, AllowTf32 = _o.AllowTf32, CudnnBenchmark = _o.CudnnBenchmark, Precision = _o.Precision, TorchThreads = _o.TorchThreads,
            LearningRate = _o.LearningRate, WeightDecay = _o.WeightDecay, Beta1 = _o.Beta1, Beta2 = _o.Beta2, Eps = _o.Eps,
            TotalSteps = total, WarmupSteps = warmup, EndLr = _o.EndLr, WarmupMultiplier = _o.WarmupMultiplier, Cycles = _o.Cycles,
            MaxGradNorm = _o.MaxGradNorm, BatchSize = _o.BatchSize, Crop = crop.ToString(), CheckpointEvery = _o.CheckpointEvery,
            KeepLast = _o.KeepLast, ValidationEvery = _o.ValidationEvery, LoaderWorkers = _o.LoaderWorkers, Prefetch = _o.Prefetch,
            Resume = _o.Resume, OutOfMemoryHint = "reduce --batch or --crop",
        };
        var validator = validation is not null ? new SegmentationValidator(validation, _o.ValidationSamples, crop, axes) : null;
        var parts = new LoopParts
        {
            Model = _model,
            BuildModel = _buildModel,
            CreateObjective = CreateObjective,
            CreateBatches = () => new CropBatches(new BatchBuilder(train, _o.BatchSize, crop, _o.Seed), train.Description),
            Validate = validator is null ? null : validator.Evaluate,
            Config = device => new { options = _o, model = _model.Signature, data = train.Description, classes = train.ClassCount, axisOrder = axes, inputIntensity = intensity, totalSteps = total, warmupSteps = warmup, device },
        };
        return (settings, parts);
    }

    private IMethodObjective CreateObjective()
    {
        var dice = new DiceLossOptions { Softmax = true, ToOnehotY = true, IncludeBackground = _o.IncludeBackground };
        return new SegmentationObjective(_o.Loss == "dicece" ? new DiceCeLoss(dice) : new DiceLoss(dice));
    }
}

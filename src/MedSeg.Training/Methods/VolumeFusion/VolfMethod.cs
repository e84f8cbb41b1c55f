using System.Text.Json;
using MedSeg.Core.Generators.Phantom;
using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Loop;
using MedSeg.Training.Networks;

namespace MedSeg.Training.Methods.VolumeFusion;

/// <summary>
/// "Volume Fusion (MIS-FM)": self-supervised pretraining that needs no labels. Samples are fused on the fly from
/// unlabelled sources (<see cref="VolfSampler"/>, background loader), the network (PCT-Net by default) names each voxel's
/// fusion weight, validation is Dice per fusion class on a fixed set of fused samples drawn apart from training.
/// </summary>
public sealed class VolfMethod : IPretrainingMethod
{
    public static readonly VolfMethod Instance = new();

    /// <summary>Validation samples come from their own stream, so they never coincide with a training sample.</summary>
    public const ulong ValidationSeedSalt = 0x56A1_1DA7_10F5_EEDUL;

    public string Name => "volf";
    public string DisplayName => "Volume Fusion (MIS-FM)";
    public Type OptionsType => typeof(VolfTrainOptions);
    public string? SourceOption => "sourceDir";

    /// <summary>
    /// The fused-sample network (feature size 12 as <see cref="VolfModels.Choice"/> builds the MONAI ones); the crop is the
    /// sub-volume's smallest edge (fine-tune patches are cubes).
    /// </summary>
    public PretrainedBackbone? Backbone(IMethodOptions options) => options is VolfTrainOptions o
        ? new PretrainedBackbone(o.Model, 12, o.ModelArgs, o.Volf.Size.Min())
        : null;

    /// <summary>The sub-volume as the crop, the chosen network as built for it (PCT-Net with every deep-supervision output), K + 1 classes.</summary>
    public Estimates.RunMemoryRequest? MemoryRequest(IMethodOptions options) => options is VolfTrainOptions { Volf.Size: [_, _, _] size } o
        ? new Estimates.RunMemoryRequest(VolfModels.Choice(o.Model, size, o.Volf.Classes, o.ModelArgs), size.Min(), o.BatchSize, o.Volf.Classes,
            Prefetch: LoopPrefetch, Shape: size, CropField: "volf.size")
        : null;

    /// <summary>Batches the loop keeps ready (<see cref="LoopSettings.Prefetch"/>, not changed by VolF).</summary>
    private static readonly int LoopPrefetch = new LoopSettings { OutputDir = "", TotalSteps = 1, WarmupSteps = 0, BatchSize = 1, Crop = "" }.Prefetch;

    public IMethodOptions CreateDefaultOptions() => new VolfTrainOptions();

    public IMethodOptions ReadOptions(JsonElement json) =>
        json.Deserialize<VolfTrainOptions>(VolfTrainOptions.Json) ?? throw new JsonException("Method 'volf': the options are null.");

    public MethodRun Prepare(IMethodOptions options)
    {
        if (options is not VolfTrainOptions o)
            throw new ArgumentException($"Method 'volf' takes {nameof(VolfTrainOptions)}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        try
        {
            var problems = o.Problems();
            if (problems.Count > 0) throw new ArgumentException("Volume Fusion options: " + string.Join("; ", problems));
            return Build(o);
        }
        catch (Exception e) when (e is not TrainingException)
        {
            throw FdslRunFactory.RecordFailure(o.OutputDir, e);
        }
    }

    private MethodRun Build(VolfTrainOptions o)
    {
        var volf = o.Volf;
        var size = volf.Size;
        var choice = VolfModels.Choice(o.Model, size, volf.Classes, o.ModelArgs);
        var multiple = VolfModels.InputMultiple(choice);
        for (int a = 0; a < 3; a++)
            if (size[a] % multiple[a] != 0)
                throw new ArgumentException($"volf.size[{a}] (crop {string.Join("×", size)}) must be a multiple of {multiple[a]} for {choice.Name} " +
                                            $"(needs multiples of [{string.Join(", ", multiple)}]), got {size[a]}");

        var sources = Sources(o);
        string sourceText = o.PhantomCount > 0
            ? $"{o.PhantomCount} SYNTHETIC phantom volumes {string.Join("×", o.PhantomSize)}"
            : $"{sources.Count} volumes from {o.SourceDir}";
        sources.Get(0); // an unreadable first source fails here, before the run starts
        var sampler = new VolfSampler(sources, volf, SampleSeed(o));
        var description = $"Volume Fusion {volf.Variant.ToString().ToLowerInvariant()} on the fly: {sourceText}, " +
                          $"{string.Join("×", size)}, K = {volf.FusionLevels}, {volf.Normalisation}";
        var crop = new Data.CropSize(size[2], size[1], size[0]);

        var settings = new LoopSettings
        {
            OutputDir = o.OutputDir, Seed = o.Seed, Device = o.Device, TorchThreads = o.TorchThreads,
            // The MIS-FM preset is Adam 1e-3 + StepLR γ 0.5; AdamW and warm-up cosine stay options.
            Optimizer = o.Optimizer, Schedule = o.Schedule, StepSize = o.StepSize, Gamma = o.Gamma,
            LearningRate = o.LearningRate, WeightDecay = o.WeightDecay, TotalSteps = o.Steps, WarmupSteps = o.WarmupSteps,
            BatchSize = o.BatchSize, Crop = crop.ToString(), CheckpointEvery = o.CheckpointEvery, KeepLast = o.KeepLast,
            ValidationEvery = o.ValidationEvery, LoaderWorkers = o.LoaderWorkers, Resume = o.Resume,
            OutOfMemoryHint = "reduce --batch or --crop",
        };
        SegmentationValidator? validator = null;
        if (o.ValidationEvery > 0)
        {
            var valSampler = new VolfSampler(sources, volf, SampleSeed(o) ^ ValidationSeedSalt);
            validator = new SegmentationValidator(new VolfSampleSource(valSampler, o.ValidationSamples, 0, "Volume Fusion validation"),
                o.ValidationSamples, crop);
        }
        var parts = new LoopParts
        {
            Model = choice,
            BuildModel = () => ModelFactory.Create(choice.Name, choice.Args),
            CreateObjective = () => new VolfObjective(),
            CreateBatches = () => new VolfBatches(sampler, o.BatchSize, sources.Count, description),
            Validate = validator is null ? null : validator.Evaluate,
            Config = device => new
            {
                method = Name,
                options = o,
                model = choice.Signature,
                data = description,
                sources = sources.Cases,
                padding = VolfOptions.PaddingRule,
                loss = "PyMIC Dice + CE 0.5/0.5; deep supervision 1/2^i on every output the network returns",
                optimiser = Optimiser(o),
                device,
            },
        };
        return new MethodRun(this, o, settings, parts);
    }

    /// <summary>The run's unlabelled sources: its folder, or its SYNTHETIC phantoms generated in memory (the portal's preview draws from the same).</summary>
    public static VolfSourceSet Sources(VolfTrainOptions o) => o.PhantomCount > 0
        ? VolfPhantomSources.Create(AbdomenPhantomSpec.Default with { Size = o.PhantomSize }, SampleSeed(o), o.PhantomCount, o.Volf)
        : VolfSourceSet.FromFolder(o.SourceDir!, o.Volf);

    /// <summary>The seed of the training samples: item b of step s is sample s·B + b of a sampler with this seed.</summary>
    public static ulong SampleSeed(VolfTrainOptions o) => unchecked((ulong)o.Seed);

    /// <summary>What config.json says about the optimiser and schedule (the values are also in its options).</summary>
    private static string Optimiser(VolfTrainOptions o) => FormattableString.Invariant(
        $"{o.Optimizer} lr {o.LearningRate:R}, wd {o.WeightDecay:R}; ") + (o.Schedule == LrScheduleKind.Step
        ? FormattableString.Invariant($"StepLR step_size {o.StepSize}, gamma {o.Gamma:R} (per step)")
        : $"warm-up cosine, {o.WarmupSteps} warm-up steps");
}

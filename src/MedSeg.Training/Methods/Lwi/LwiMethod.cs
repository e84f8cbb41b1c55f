using System.Text.Json;
using MedSeg.Training.Data;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Loop;
using MedSeg.Training.Networks;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// Learnable Weight Initialization (Kunhimon et al.; code ShahinaKK/LWI-VMS): the self-supervised "shuffle + mask" stage on
/// the (labelled) training set's images, before fine-tuning on the same set. The backbone is UNETR (or SwinUNETR) with
/// out_channels = in_channels, its output the reconstruction; the order heads live beside it (heads.bin).
/// </summary>
public sealed class LwiMethod : IPretrainingMethod, IPretextPreview
{
    public static readonly LwiMethod Instance = new();

    public string Name => "lwi";
    public string DisplayName => "LWI (shuffle + mask)";
    public Type OptionsType => typeof(LwiOptions);
    public string? SourceOption => "datasetDir";

    public PretrainedBackbone? Backbone(IMethodOptions options) => options is LwiOptions o
        ? new PretrainedBackbone(o.IsSwin ? "SwinUNETR" : "UNETR", o.FeatureSize, o.ModelArgs, o.Crop)
        : null;

    public IMethodOptions CreateDefaultOptions() => new LwiOptions();

    public IMethodOptions ReadOptions(JsonElement json) => LwiOptions.FromJson(json);

    /// <summary>The backbone: in and out channels 1, the crop as UNETR's img_size.</summary>
    public static ModelChoice ModelFor(LwiOptions o) => ModelChoice.For(o.IsSwin ? "SwinUNETR" : "UNETR", o.FeatureSize, o.Crop, 1, o.ModelArgs);

    /// <summary>Input widths of the order heads, from the backbone's arguments (UNETR hidden_size, SwinUNETR feature_size).</summary>
    public static long[] HeadWidths(ModelChoice model)
    {
        var args = new ModelArguments(model.Name, model.Args);
        return model.Name == "SwinUNETR"
            ? Enumerable.Range(1, 4).Select(i => args.GetLong("feature_size", 24) << i).ToArray()
            : Enumerable.Repeat(args.GetLong("hidden_size", 768), 4).ToArray();
    }

    public MethodRun Prepare(IMethodOptions options)
    {
        if (options is not LwiOptions o)
            throw new ArgumentException($"Method '{Name}' takes {nameof(LwiOptions)}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        if (o.Problems() is { Count: > 0 } problems) throw new TrainingException(string.Join(" ", problems));
        var train = OpenSource(o);
        var model = ModelFor(o);
        var transform = new LwiShuffleMask(o.EffectiveChunks, o.MaskRatio, o.MaskPatch);
        var parts = new LoopParts
        {
            Model = model,
            BuildModel = () => ModelFactory.Create(model.Name, model.Args),
            CreateObjective = () => new LwiObjective(new LwiOrderHeads(HeadWidths(model), transform.Chunks), o.PoolAxis, o.RecWeight, o.OrderWeight),
            CreateBatches = () => new LwiBatches(Builder(o, train, transform)),
            Config = device => new
            {
                method = Name, options = o, model = model.Signature, data = train.Description, chunks = transform.Chunks,
                poolAxis = o.PoolAxis, totalSteps = o.Steps, warmupSteps = o.EffectiveWarmup, device,
            },
        };
        return new MethodRun(this, o, o.ToLoopSettings(), parts);
    }

    private static IVolumeSampleSource OpenSource(LwiOptions o) => UnlabelledSources.Open(o.DatasetDir!, o.Samples, "Dataset (--dataset)");

    private static LwiBatchBuilder Builder(LwiOptions o, IVolumeSampleSource train, LwiShuffleMask transform) =>
        new(new UnlabelledCrops(train, o.BatchSize, CropSize.Cube(o.Crop), o.Seed, IntensityWindow.Parse(o.IntensityWindow, "Intensity window (--window)")),
            transform, o.IsCodeCompatible, o.Seed);

    private LwiOptions Checked(IMethodOptions options) => options as LwiOptions
        ?? throw new ArgumentException($"Method '{Name}' takes {nameof(LwiOptions)}, got {options?.GetType().Name ?? "null"}.", nameof(options));

    /// <summary>Sample 0 of the run's first batch, shuffled + masked, with the slot map and the permutation as caption.</summary>
    public PretextPreviewInfo WriteInput(IMethodOptions options, string folder)
    {
        var o = Checked(options);
        var builder = Builder(o, OpenSource(o), new LwiShuffleMask(o.EffectiveChunks, o.MaskRatio, o.MaskPatch));
        LwiPreview.Write(builder.Build(0), builder.Transform, 0, folder);
        return PretextPreview.ReadInfo(folder);
    }

    /// <summary>The backbone's output (its reconstruction) on the preview input, weights from the checkpoint's model.bin.</summary>
    public string WriteReconstruction(IMethodOptions options, string checkpoint, string folder, string fileName)
    {
        var o = Checked(options);
        var model = ModelFor(o);
        // Built under the seeded lock: building draws from libtorch's global generator, which runs starting elsewhere seed.
        using var net = Randomness.GlobalTorchRandom.Seeded(0, () => ModelFactory.Create(model.Name, model.Args));
        net.load(Path.Combine(checkpoint, Checkpoints.CheckpointStore.ModelFile));
        return LwiPreview.WriteReconstruction(net, folder, o.AxisOrder, fileName);
    }
}

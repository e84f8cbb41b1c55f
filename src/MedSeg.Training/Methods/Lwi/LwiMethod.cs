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
public sealed class LwiMethod : IPretrainingMethod
{
    public static readonly LwiMethod Instance = new();

    public string Name => "lwi";
    public string DisplayName => "LWI (shuffle + mask)";
    public Type OptionsType => typeof(LwiOptions);
    public string? SourceOption => "datasetDir";

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
        var window = IntensityWindow.Parse(o.IntensityWindow, "Intensity window (--window)");
        DatasetFolderSource train;
        try { (train, _) = DatasetFolderSource.Open(o.DatasetDir!, o.Samples, 0); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new TrainingException($"Dataset (--dataset) '{o.DatasetDir}': {e.Message}", e);
        }
        var model = ModelFor(o);
        var transform = new LwiShuffleMask(o.EffectiveChunks, o.MaskRatio, o.MaskPatch);
        var crop = CropSize.Cube(o.Crop);
        var parts = new LoopParts
        {
            Model = model,
            BuildModel = () => ModelFactory.Create(model.Name, model.Args),
            CreateObjective = () => new LwiObjective(new LwiOrderHeads(HeadWidths(model), transform.Chunks), o.PoolAxis, o.RecWeight, o.OrderWeight),
            CreateBatches = () => new LwiBatches(new LwiBatchBuilder(new UnlabelledCrops(train, o.BatchSize, crop, o.Seed, window), transform, o.IsCodeCompatible, o.Seed)),
            Config = device => new
            {
                method = Name, options = o, model = model.Signature, data = train.Description, chunks = transform.Chunks,
                poolAxis = o.PoolAxis, totalSteps = o.Steps, warmupSteps = o.EffectiveWarmup, device,
            },
        };
        return new MethodRun(this, o, o.ToLoopSettings(), parts);
    }
}

using System.Text.Json;
using MedSeg.Training.Data;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Loop;
using MedSeg.Training.Methods.Lwi;
using MedSeg.Training.Networks;

namespace MedSeg.Training.Methods.SwinSsl;

/// <summary>
/// Swin UNETR self-supervised pretraining (Tang et al., CVPR 2022): rotation, contrastive and inpainting heads on the
/// SwinUNETR encoder. The backbone is a whole SwinUNETR (only <c>swinViT.</c> is trained) so its model.safetensors is what
/// fine-tuning loads encoder-only; the heads (MONAI research names) are saved in heads.bin.
/// </summary>
public sealed class SwinSslMethod : IPretrainingMethod
{
    public static readonly SwinSslMethod Instance = new();

    public string Name => "swin-ssl";
    public string DisplayName => "Swin UNETR self-supervision (rotation + contrastive + inpainting)";
    public Type OptionsType => typeof(SwinSslOptions);
    public string? SourceOption => "sourceDir";

    public IMethodOptions CreateDefaultOptions() => new SwinSslOptions();

    public IMethodOptions ReadOptions(JsonElement json) => SwinSslOptions.FromJson(json);

    public static ModelChoice ModelFor(SwinSslOptions o) => ModelChoice.For("SwinUNETR", o.FeatureSize, o.Crop, 1, o.ModelArgs);

    public MethodRun Prepare(IMethodOptions options)
    {
        if (options is not SwinSslOptions o)
            throw new ArgumentException($"Method '{Name}' takes {nameof(SwinSslOptions)}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        if (o.Problems() is { Count: > 0 } problems) throw new TrainingException(string.Join(" ", problems));
        var window = IntensityWindow.Parse(o.IntensityWindow, "Intensity window (--window)");
        DatasetFolderSource train;
        try { (train, _) = DatasetFolderSource.Open(o.SourceDir!, o.Samples, 0); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new TrainingException($"Source (--source) '{o.SourceDir}': {e.Message}", e);
        }
        var model = ModelFor(o);
        long feature = new ModelArguments(model.Name, model.Args).GetLong("feature_size", 24);
        var crop = CropSize.Cube(o.Crop);
        var parts = new LoopParts
        {
            Model = model,
            BuildModel = () => ModelFactory.Create(model.Name, model.Args),
            CreateObjective = () => new SwinSslObjective(new SwinSslHeads(feature * 16, 1), o.Temperature, o.RotWeight, o.ContrastWeight, o.RecWeight),
            CreateBatches = () => new SwinSslBatches(new SwinSslBatchBuilder(new UnlabelledCrops(train, o.BatchSize, crop, o.Seed, window), o.Seed)),
            Config = device => new
            {
                method = Name, options = o, model = model.Signature, data = train.Description,
                totalSteps = o.Steps, warmupSteps = Math.Min(o.WarmupSteps, o.Steps), device,
            },
        };
        return new MethodRun(this, o, o.ToLoopSettings(), parts);
    }
}

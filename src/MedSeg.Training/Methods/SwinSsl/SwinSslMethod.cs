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
public sealed class SwinSslMethod : IPretrainingMethod, IPretextPreview
{
    public static readonly SwinSslMethod Instance = new();

    public string Name => "swin-ssl";
    public string DisplayName => "Swin UNETR self-supervision (rotation + contrastive + inpainting)";
    public Type OptionsType => typeof(SwinSslOptions);
    public string? SourceOption => "sourceDir";

    public PretrainedBackbone? Backbone(IMethodOptions options) => options is SwinSslOptions o
        ? new PretrainedBackbone("SwinUNETR", o.FeatureSize, o.ModelArgs, o.Crop)
        : null;

    public IMethodOptions CreateDefaultOptions() => new SwinSslOptions();

    public IMethodOptions ReadOptions(JsonElement json) => SwinSslOptions.FromJson(json);

    public static ModelChoice ModelFor(SwinSslOptions o) => ModelChoice.For("SwinUNETR", o.FeatureSize, o.Crop, 1, o.ModelArgs);

    public MethodRun Prepare(IMethodOptions options)
    {
        if (options is not SwinSslOptions o)
            throw new ArgumentException($"Method '{Name}' takes {nameof(SwinSslOptions)}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        if (o.Problems() is { Count: > 0 } problems) throw new TrainingException(string.Join(" ", problems));
        var train = OpenSource(o);
        var model = ModelFor(o);
        long feature = new ModelArguments(model.Name, model.Args).GetLong("feature_size", 24);
        var parts = new LoopParts
        {
            Model = model,
            BuildModel = () => ModelFactory.Create(model.Name, model.Args),
            CreateObjective = () => new SwinSslObjective(new SwinSslHeads(feature * 16, 1), o.Temperature, o.RotWeight, o.ContrastWeight, o.RecWeight),
            CreateBatches = () => new SwinSslBatches(Builder(o, train)),
            Config = device => new
            {
                method = Name, options = o, model = model.Signature, data = train.Description,
                totalSteps = o.Steps, warmupSteps = Math.Min(o.WarmupSteps, o.Steps), device,
            },
        };
        return new MethodRun(this, o, o.ToLoopSettings(), parts);
    }

    private static IVolumeSampleSource OpenSource(SwinSslOptions o) => UnlabelledSources.Open(o.SourceDir!, o.Samples, "Source (--source)");

    private static SwinSslBatchBuilder Builder(SwinSslOptions o, IVolumeSampleSource train) =>
        new(new UnlabelledCrops(train, o.BatchSize, CropSize.Cube(o.Crop), o.Seed, IntensityWindow.Parse(o.IntensityWindow, "Intensity window (--window)")), o.Seed);

    private SwinSslOptions Checked(IMethodOptions options) => options as SwinSslOptions
        ?? throw new ArgumentException($"Method '{Name}' takes {nameof(SwinSslOptions)}, got {options?.GetType().Name ?? "null"}.", nameof(options));

    /// <summary>View 1 of the run's first crop: rotated and cut out; the label map marks the cut-out voxels.</summary>
    public PretextPreviewInfo WriteInput(IMethodOptions options, string folder)
    {
        var o = Checked(options);
        var batch = Builder(o, OpenSource(o)).Build(0);
        int n = (int)batch.Crop.Voxels, cut = 0;
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
            if (batch.Inputs[i] != batch.Targets[i]) { labels[i] = 1; cut++; }
        var caption = $"View 1 of crop 1: rotated {batch.Rotations[0] * 90}° in the Y–Z plane, then cut out (inner: noise blocks, outer: " +
            $"blocks of another crop) — {cut / (double)n:P1} of the voxels differ from the rotated, un-cut target the inpainting head reconstructs.";
        var info = new PretextPreviewInfo(caption, new Dictionary<int, string> { [1] = "cut out" });
        PretextPreview.Write(folder, batch.Crop, batch.Inputs, batch.Targets, 0, labels, info);
        return info;
    }

    /// <summary>The inpainting head (<c>conv</c>) on the encoder's last stage, weights from the checkpoint's model.bin and heads.bin.</summary>
    public string WriteReconstruction(IMethodOptions options, string checkpoint, string folder, string fileName)
    {
        var o = Checked(options);
        var model = ModelFor(o);
        long feature = new ModelArguments(model.Name, model.Args).GetLong("feature_size", 24);
        // Built under the seeded lock: building draws from libtorch's global generator, which runs starting elsewhere seed.
        var (net, heads) = Randomness.GlobalTorchRandom.Seeded(0, () => (ModelFactory.Create(model.Name, model.Args), new SwinSslHeads(feature * 16, 1)));
        using (net)
        using (heads)
        {
            net.load(Path.Combine(checkpoint, Checkpoints.CheckpointStore.ModelFile));
            heads.load(Path.Combine(checkpoint, Checkpoints.CheckpointStore.HeadsFile));
            var swin = (Networks.Nets.SwinUnetr)net;
            return PretextPreview.WriteReconstruction(x => heads.forward(swin.Encoder.Encode(x, normalize: true)[^1]).Reconstruction,
                folder, o.AxisOrder, fileName, net, heads);
        }
    }
}

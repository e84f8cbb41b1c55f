using System.Text.Json;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Loop;
using MedSeg.Training.Networks.Nets.Context;

namespace MedSeg.Training.Methods.Context;

/// <summary>
/// 2.5D context feature pretraining (Blendowski, Nickisch, Heinrich 2019): HEATMAP or REG2D over the three axes. The
/// backbone exported as model.safetensors is the <see cref="ContextDescriptorNet"/> (three D2D-CNNs → 192-d); the heads
/// (HeatNet / OffNet per axis) live in heads.bin. Adam (AdamW without decay) at a constant learning rate, as the notebook.
/// </summary>
public sealed class ContextMethod : IPretrainingMethod
{
    public static readonly ContextMethod Instance = new();

    public string Name => "context";
    public string DisplayName => "2.5D context features (HEATMAP / REG2D)";
    public Type OptionsType => typeof(ContextOptions);
    public string? SourceOption => "source";

    public IMethodOptions CreateDefaultOptions() => new ContextOptions();

    public IMethodOptions ReadOptions(JsonElement json) =>
        json.Deserialize<ContextOptions>(ContextOptions.Json) ?? throw new JsonException($"Method '{Name}': the options are null.");

    public MethodRun Prepare(IMethodOptions options)
    {
        if (options is not ContextOptions o)
            throw new ArgumentException($"Method '{Name}' takes {nameof(ContextOptions)}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        if (o.Problems() is { Count: > 0 } problems) throw new TrainingException(string.Join(" ", problems));
        ContextVolumeSource source;
        try { source = ContextVolumeSource.Open(o.Source, o.CachedVolumes); }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException) { throw new TrainingException(e.Message, e); }
        var model = new ModelChoice(nameof(ContextDescriptorNet), new Dictionary<string, string>());
        var settings = new LoopSettings
        {
            OutputDir = o.OutputDir, Seed = o.Seed, Device = o.Device, TorchThreads = o.TorchThreads, Resume = o.Resume,
            LearningRate = o.LearningRate, EndLr = o.LearningRate, WeightDecay = 0, TotalSteps = o.Steps, WarmupSteps = 0,
            BatchSize = o.BatchSize, Crop = "3×42² pairs ×3 axes", CheckpointEvery = o.CheckpointEvery,
            OutOfMemoryHint = "reduce the batch size",
        };
        var parts = new LoopParts
        {
            Model = model,
            BuildModel = () => NotebookInit.Apply(new ContextDescriptorNet()),
            CreateObjective = () => new ContextObjective(o.Task),
            CreateBatches = () => new ContextBatches(new Core.ContextFeatures.ContextPairSampler(source.Get, source.Count, o.SamplerSettings()),
                o.BatchSize, source.Count, $"2.5D context pairs ({o.Task.ToString().ToLowerInvariant()}, {o.AxisMapping.ToString().ToLowerInvariant()} axes) from {source.Count} volumes"),
            Config = device => new { method = Name, task = o.Task.ToString().ToLowerInvariant(), options = o, model = model.Signature, device },
        };
        return new MethodRun(this, o, settings, parts);
    }
}

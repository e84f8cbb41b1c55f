using System.Text.Json;
using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Loop;
using MedSeg.Training.Methods.Context;
using MedSeg.Training.Networks.Nets.Context;

namespace MedSeg.Training.Methods.Doersch;

/// <summary>
/// The 3D Doersch baseline of Blendowski et al. 2019: which of 6 neighbour positions a second 25³ cube sits at. Backbone
/// <see cref="DoerschNet"/> (192-d, model.safetensors), head <see cref="DoerschDecodeNet"/> (heads.bin); Adam, constant rate.
/// </summary>
public sealed class DoerschMethod : IPretrainingMethod
{
    public static readonly DoerschMethod Instance = new();

    public string Name => "doersch";
    public string DisplayName => "3D Doersch (neighbour position)";
    public Type OptionsType => typeof(DoerschOptions);
    public string? SourceOption => "source";

    public IMethodOptions CreateDefaultOptions() => new DoerschOptions();

    public IMethodOptions ReadOptions(JsonElement json) =>
        json.Deserialize<DoerschOptions>(DoerschOptions.Json) ?? throw new JsonException($"Method '{Name}': the options are null.");

    public MethodRun Prepare(IMethodOptions options)
    {
        if (options is not DoerschOptions o)
            throw new ArgumentException($"Method '{Name}' takes {nameof(DoerschOptions)}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        if (o.Problems() is { Count: > 0 } problems) throw new TrainingException(string.Join(" ", problems));
        ContextVolumeSource source;
        try { source = ContextVolumeSource.Open(o.Source, o.CachedVolumes); }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException) { throw new TrainingException(e.Message, e); }
        var model = new ModelChoice(nameof(DoerschNet), new Dictionary<string, string>());
        var settings = new LoopSettings
        {
            OutputDir = o.OutputDir, Seed = o.Seed, Device = o.Device, TorchThreads = o.TorchThreads, Resume = o.Resume,
            LearningRate = o.LearningRate, EndLr = o.LearningRate, WeightDecay = 0, TotalSteps = o.Steps, WarmupSteps = 0,
            BatchSize = o.BatchSize, Crop = "25³ pairs", CheckpointEvery = o.CheckpointEvery, OutOfMemoryHint = "reduce the batch size",
        };
        var parts = new LoopParts
        {
            Model = model,
            BuildModel = () => new DoerschNet(),
            CreateObjective = () => new DoerschObjective(),
            CreateBatches = () => new DoerschBatches(new DoerschPairSampler(source.Get, source.Count, o.Seed, o.BatchSize, o.CentreRange, o.AlignCorners),
                o.BatchSize, source.Count, $"Doersch 25³ cube pairs from {source.Count} volumes"),
            Config = device => new { method = Name, options = o, model = model.Signature, device },
        };
        return new MethodRun(this, o, settings, parts);
    }
}

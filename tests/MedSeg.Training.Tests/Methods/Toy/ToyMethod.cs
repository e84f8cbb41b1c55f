using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Loop;
using MedSeg.Training.Methods;
using MedSeg.Training.Tests.Support;

namespace MedSeg.Training.Tests.Methods.Toy;

/// <summary>A pretraining method written outside the library: what the README's "add a method" recipe describes.</summary>
public sealed class ToyMethod : IPretrainingMethod
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Name => "toy-unflip";
    public string DisplayName => "Toy un-flip (test)";
    public Type OptionsType => typeof(ToyOptions);

    public IMethodOptions CreateDefaultOptions() => new ToyOptions();

    public IMethodOptions ReadOptions(JsonElement json) => json.Deserialize<ToyOptions>(Json)!;

    public MethodRun Prepare(IMethodOptions options)
    {
        var o = (ToyOptions)options;
        if (o.Problems() is { Count: > 0 } problems) throw new TrainingException(string.Join(" ", problems));
        const int channels = 3;
        var model = new ModelChoice("TinySegNet", new Dictionary<string, string> { ["width"] = o.Width.ToString(), ["out_channels"] = channels.ToString() });
        var settings = new LoopSettings
        {
            OutputDir = o.OutputDir, Seed = o.Seed, AxisOrder = o.AxisOrder, Device = "cpu", TorchThreads = 1,
            LearningRate = o.LearningRate, TotalSteps = o.Steps, WarmupSteps = 2, MaxGradNorm = 1.0,
            BatchSize = o.BatchSize, Crop = $"{o.Crop}³", CheckpointEvery = o.CheckpointEvery, Resume = o.Resume,
        };
        var parts = new LoopParts
        {
            Model = model,
            BuildModel = () => new TinySegNet(channels, o.Width),
            CreateObjective = () => new ToyObjective(channels),
            CreateBatches = () => new ToyBatches(o.Seed, o.BatchSize, o.Crop),
            Config = device => new { method = Name, options = o, model = model.Signature, device },
        };
        return new MethodRun(this, o, settings, parts);
    }
}

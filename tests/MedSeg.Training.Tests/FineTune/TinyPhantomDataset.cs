using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Generators.Phantom;

namespace MedSeg.Training.Tests.FineTune;

/// <summary>A SYNTHETIC phantom dataset (6 cases of 64×64×24) imported with split.json: 4 train, 1 val, 1 test.</summary>
internal static class TinyPhantomDataset
{
    public static string Create(string root)
    {
        var raw = Path.Combine(root, "raw");
        var spec = AbdomenPhantomSpec.Default with { Size = [64, 64, 24] };
        PhantomDatasetWriter.Write(spec, seed: 5, trainCount: 6, raw);
        var target = Path.Combine(root, "dataset");
        MsdImporter.Import(raw, target, new SplitOptions { Validation = ["phantom_004"], Test = ["phantom_005"] });
        return target;
    }

    /// <summary>Quick settings: BasicUNet with small features, 32³ patches, CPU.</summary>
    public static FineTuneOptionsBuilder Options(string dataset, string output) => new(dataset, output);
}

internal sealed class FineTuneOptionsBuilder(string dataset, string output)
{
    public Training.FineTune.FineTuneOptions Build(int steps = 6, string init = "scratch", bool encoderOnly = false) => new()
    {
        DatasetDir = dataset,
        OutputDir = output,
        Model = "BasicUNet",
        ModelArgs = new() { ["features"] = "(4, 4, 8, 8, 16, 4)" },
        PatchSize = 32,
        BatchSize = 2,
        Steps = steps,
        LearningRate = 1e-3,
        ValidationEvery = 3,
        CheckpointEvery = 3,
        Init = init,
        EncoderOnly = encoderOnly,
        Device = "cpu",
        TorchThreads = 1,
        Seed = 3,
    };
}

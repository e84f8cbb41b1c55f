using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Generators.Phantom;
using MedSeg.Training.FineTune;

namespace MedSeg.Web.Tests.Features.Downstream;

/// <summary>A SYNTHETIC phantom downstream dataset imported into &lt;data root&gt;/downstream/NAME (4 train, 1 val, 1 test) and quick fine-tune settings.</summary>
internal static class DownstreamPhantom
{
    /// <summary>Writes the raw phantom to <paramref name="rawDir"/> (default: beside the data root) and imports it.</summary>
    public static string Create(string dataRoot, string name = "phantom", string? rawDir = null)
    {
        var raw = rawDir ?? Path.Combine(dataRoot, "..", $"raw-{name}");
        PhantomDatasetWriter.Write(AbdomenPhantomSpec.Default with { Size = [64, 64, 24] }, seed: 5, trainCount: 6, raw);
        MsdImporter.Import(raw, Path.Combine(dataRoot, "downstream", name),
            new SplitOptions { Validation = ["phantom_004"], Test = ["phantom_005"] });
        return $"downstream/{name}";
    }

    /// <summary>6 CPU steps, validation and a checkpoint every 3.</summary>
    public static FineTuneOptions Template() => new()
    {
        Steps = 6, BatchSize = 2, LearningRate = 1e-3, ValidationEvery = 3, CheckpointEvery = 3,
        LoaderWorkers = 1, Prefetch = 2, TorchThreads = 1, Seed = 3,
    };
}

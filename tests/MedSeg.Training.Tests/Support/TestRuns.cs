using MedSeg.Training.Fdsl;

namespace MedSeg.Training.Tests.Support;

/// <summary>Small, fast FDSL settings on the blob data and TinySegNet.</summary>
internal static class TestRuns
{
    public const int Classes = 3;

    public static FdslOptions Options(string outDir, int steps) => new()
    {
        OutputDir = outDir,
        Model = "TinySegNet",
        Crop = 16,
        BatchSize = 2,
        LearningRate = 1e-2,
        Steps = steps,
        WarmupSteps = 2,
        Device = "cpu",
        CheckpointEvery = 1000,
        ValidationEvery = 0,
        LoaderWorkers = 2,
        Seed = 7,
    };

    public static FdslTrainer Trainer(FdslOptions o, int width = 8, BlobSource? train = null, BlobSource? val = null,
        MedSeg.Training.Data.IVolumeSampleSource? source = null) =>
        new(o, source ?? train ?? new BlobSource(16, 24, Classes), val,
            new ModelChoice("TinySegNet", new Dictionary<string, string> { ["width"] = width.ToString(), ["out_channels"] = Classes.ToString() }),
            () => new TinySegNet(Classes, width));
}

using MedSeg.Core.Generators.AvsDb;
using MedSeg.Training.Data;
using MedSeg.Training.Networks;
using MedSeg.Training.Runs;

namespace MedSeg.Training.Fdsl;

/// <summary>
/// Turns <see cref="FdslOptions"/> into a ready <see cref="FdslTrainer"/>: the data source (dataset folder or
/// on-the-fly AVS-DB spec), the held-out validation source and the network via <see cref="ModelFactory"/>.
/// A failure here is recorded as status.json "failed" in the run folder, like a failure during training.
/// </summary>
public static class FdslRunFactory
{
    public static FdslTrainer Create(FdslOptions o)
    {
        try
        {
            o.Validate();
            if (o.DatasetDir is not null && o.SpecPath is not null)
                throw new ArgumentException("Pass either a dataset folder (--dataset) or an AVS-DB spec (--spec), not both.");
            if (o.DatasetDir is not null)
            {
                var (train, val) = DatasetFolderSource.Open(o.DatasetDir, o.Samples, o.ValidationEvery > 0 ? o.ValidationSamples : 0);
                return Build(o, train, val);
            }
            if (o.SpecPath is not null) return FromSpec(o, AvsDbSpec.Load(o.SpecPath));
            throw new ArgumentException("No training data: pass a dataset folder (--dataset DIR) or an AVS-DB spec (--spec spec.json --seed S).");
        }
        catch (Exception e) when (e is not TrainingException)
        {
            throw RecordFailure(o, e);
        }
    }

    /// <summary>Endless on-the-fly AVS-DB data (no disk I/O): training indices 0..Samples−1, validation right after.</summary>
    public static FdslTrainer FromSpec(FdslOptions o, AvsDbSpec spec)
    {
        var generator = new AvsDbGenerator(spec, unchecked((ulong)o.Seed));
        var train = new AvsDbSampleSource(generator, o.Samples);
        var val = o.ValidationEvery > 0 ? new AvsDbSampleSource(generator, o.ValidationSamples, offset: o.Samples) : null;
        return Build(o, train, val);
    }

    public static FdslTrainer Build(FdslOptions o, IVolumeSampleSource train, IVolumeSampleSource? validation)
    {
        var choice = ModelChoiceFor(o, train.ClassCount);
        return new FdslTrainer(o, train, validation, choice, () => ModelFactory.Create(choice.Name, choice.Args));
    }

    /// <summary>
    /// Model arguments by MONAI name: in_channels 1, out_channels = classes incl. background, feature_size
    /// (not for BasicUNet, which takes "features"), img_size = crop for UNETR; <see cref="FdslOptions.ModelArgs"/> win.
    /// </summary>
    public static ModelChoice ModelChoiceFor(FdslOptions o, int classCount) =>
        ModelChoice.For(o.Model, o.FeatureSize, o.Crop, classCount, o.ModelArgs);

    /// <summary>Writes status.json "failed" (keeping earlier progress) and returns the exception to throw.</summary>
    internal static TrainingException RecordFailure(string outputDir, Exception e)
    {
        var message = e.Message;
        if (!string.IsNullOrWhiteSpace(outputDir))
        {
            var run = new RunFolder(outputDir);
            var now = DateTime.UtcNow;
            var previous = run.ReadStatus();
            run.Log($"failed before training: {message}");
            run.WriteStatus(new RunStatus(RunStatus.Failed, previous?.Step ?? 0, previous?.TotalSteps ?? 0, previous?.StartedUtc ?? now, now, message, previous?.LastCheckpoint));
        }
        return new TrainingException(message, e);
    }

    private static TrainingException RecordFailure(FdslOptions o, Exception e) => RecordFailure(o.OutputDir, e);
}

using System.Globalization;
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
    public static ModelChoice ModelChoiceFor(FdslOptions o, int classCount)
    {
        var c = CultureInfo.InvariantCulture;
        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["in_channels"] = "1",
            ["out_channels"] = classCount.ToString(c),
        };
        if (!o.Model.Equals("BasicUNet", StringComparison.OrdinalIgnoreCase)) args["feature_size"] = o.FeatureSize.ToString(c);
        if (o.Model.Equals("UNETR", StringComparison.OrdinalIgnoreCase)) args["img_size"] = $"({o.Crop}, {o.Crop}, {o.Crop})";
        foreach (var (k, v) in o.ModelArgs) args[k] = v;
        return new ModelChoice(o.Model, args);
    }

    private static TrainingException RecordFailure(FdslOptions o, Exception e)
    {
        var message = e.Message;
        if (!string.IsNullOrWhiteSpace(o.OutputDir))
        {
            var run = new RunFolder(o.OutputDir);
            var now = DateTime.UtcNow;
            var previous = run.ReadStatus();
            run.Log($"failed before training: {message}");
            run.WriteStatus(new RunStatus(RunStatus.Failed, previous?.Step ?? 0, previous?.TotalSteps ?? 0, previous?.StartedUtc ?? now, now, message, previous?.LastCheckpoint));
        }
        return new TrainingException(message, e);
    }
}

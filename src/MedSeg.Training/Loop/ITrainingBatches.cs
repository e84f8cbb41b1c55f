using MedSeg.Training.Data;

namespace MedSeg.Training.Loop;

/// <summary>
/// The batches of a run: each a pure function of its step (thread-safe, no TorchSharp), so batches can be
/// prepared on worker threads and rebuilt exactly on resume.
/// </summary>
public interface ITrainingBatches
{
    /// <summary>Short description for logs and config.json.</summary>
    string Description { get; }

    Batch Build(long step);

    /// <summary>Epochs completed after <paramref name="step"/> steps (for progress reports).</summary>
    double Epoch(long step);
}

/// <summary>Random crops from an <see cref="IVolumeSampleSource"/> (FDSL pretraining).</summary>
public sealed class CropBatches(BatchBuilder builder, string description) : ITrainingBatches
{
    public string Description { get; } = description;
    public Batch Build(long step) => builder.Build(step);
    public double Epoch(long step) => builder.Order.Epoch(step);
}

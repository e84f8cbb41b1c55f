namespace MedSeg.Training.Data;

/// <summary>
/// Indexed training samples. Must be thread-safe and deterministic: the same index always gives
/// the same sample (batches are rebuilt from indices on resume).
/// </summary>
public interface IVolumeSampleSource
{
    /// <summary>Number of distinct samples (an epoch).</summary>
    int Count { get; }

    /// <summary>Number of label classes including background (the network's output channels).</summary>
    int ClassCount { get; }

    /// <summary>Short description for logs and config.json.</summary>
    string Description { get; }

    LabeledVolume Load(int index);
}

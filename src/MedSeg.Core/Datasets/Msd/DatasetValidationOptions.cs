namespace MedSeg.Core.Datasets.Msd;

/// <summary>Settings of <see cref="MsdDatasetValidator"/>.</summary>
public sealed class DatasetValidationOptions
{
    /// <summary>Largest difference allowed between corresponding affine entries of a case's image(s) and label; default 1e-3 (mm for the translation).</summary>
    public double AffineTolerance { get; init; } = 1e-3;

    /// <summary>Read every label volume in full and check its values against dataset.json's labels (default on; the slow part).</summary>
    public bool CheckLabelValues { get; init; } = true;
}

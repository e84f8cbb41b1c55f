namespace MedSeg.Core.Datasets.Msd;

/// <summary>Settings of <see cref="MsdDatasetValidator"/>.</summary>
public sealed class DatasetValidationOptions
{
    /// <summary>Largest difference allowed between corresponding affine entries of a case's image(s) and label; default 1e-3 (mm for the translation).</summary>
    public double AffineTolerance { get; init; } = 1e-3;

    /// <summary>Read every label volume in full and check its values against dataset.json's labels (default on; the slow part).</summary>
    public bool CheckLabelValues { get; init; } = true;

    /// <summary>
    /// Channel to take from 4-D multi-channel images (e.g. 2 = T1gd in MSD Task01_BrainTumour); null (default) refuses
    /// 4-D images. With a channel every image must have it; labels stay 3-D.
    /// </summary>
    public int? ImageChannel { get; init; }

    /// <summary>Size, ratio and voxel bounds of the import (decompression bombs). Default <see cref="ImportLimits.Default"/>.</summary>
    public ImportLimits Limits { get; init; } = ImportLimits.Default;
}

namespace MedSeg.Core.Nifti;

/// <summary>Settings for <see cref="NiftiWriter"/>.</summary>
public sealed class NiftiWriteOptions
{
    public static NiftiWriteOptions Default { get; } = new();

    /// <summary>Default <see cref="GzipLevel"/>: files about the size nibabel writes at its default (zlib level 1).</summary>
    public const int DefaultGzipLevel = 6;

    /// <summary>
    /// zlib level (1–9) for ".nii.gz". .NET's zlib-ng at level 1 writes a third larger files than nibabel (zlib level 1);
    /// from level 2 on it is within a few percent, and the parallel compression pays for the extra work.
    /// </summary>
    public int GzipLevel { get; init; } = DefaultGzipLevel;

    /// <summary>Chunks compressed at once for ".nii.gz" (default: the CPUs this process may use).</summary>
    public int CompressionThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>sform_code written: 1 = scanner anatomical (default), 2 = aligned to another scan.</summary>
    public short SFormCode { get; init; } = 1;

    /// <summary>qform_code written when the affine is a rotation (no shear): 1 = scanner (default), 2 = aligned.</summary>
    public short QFormCode { get; init; } = 1;

    /// <summary>Free text stored in the header's 80-byte descrip field (truncated to 79 ASCII characters).</summary>
    public string Description { get; init; } = "MedSeg";
}
